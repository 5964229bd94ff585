import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelMetadata } from '../../models/model-types.js';
import { OpenAIClient } from './openai-client.js';
import { sendJson, startFakeOpenAIServer, testSettings, type FakeOpenAIServer, type ReceivedRequest } from './openai-fake-server.test-helper.js';
import { openAISpeechToTextOptionsSchema, type OpenAISpeechToTextOptions } from './openai-model-options.js';
import { OpenAISpeechToTextModel } from './openai-speech-to-text-model.js';

const metadata: ModelMetadata = { provider: 'openai', model: 'whisper-1', ref: 'openai:whisper-1', task: 'speech-to-text', neural: true };
const FAKE_MP3 = Uint8Array.of(0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 1, 2, 3, 250, 251);

let server: FakeOpenAIServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The upload as a server would read it. */
async function formOf(request: ReceivedRequest | undefined): Promise<FormData> {
  return new Response(request?.body, { headers: { 'content-type': String(request?.headers['content-type']) } }).formData();
}

async function transcriber(reply: unknown, options: OpenAISpeechToTextOptions = {}): Promise<OpenAISpeechToTextModel> {
  server = await startFakeOpenAIServer({ '/audio/transcriptions': (_req, res) => sendJson(res, 200, reply) });
  return new OpenAISpeechToTextModel(new OpenAIClient(testSettings(server.baseURL, { apiKey: 'sk-audio-key' })), metadata, openAISpeechToTextOptionsSchema.parse(options));
}

describe('OpenAISpeechToTextModel', () => {
  it('uploads the audio bytes as multipart form data, named by their format', async () => {
    const model = await transcriber({ text: ' Hello world. ' });
    expect(await model.transcribe(FAKE_MP3, { language: 'en' })).toEqual({ text: 'Hello world.' });
    const request = server?.requests[0];
    expect(request?.headers.authorization).toBe('Bearer sk-audio-key');
    const form = await formOf(request);
    const file = form.get('file') as File;
    expect(file.name).toBe('audio.mp3');
    expect(file.type).toBe('audio/mpeg');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(FAKE_MP3);
    expect(form.get('model')).toBe('whisper-1');
    expect(form.get('language')).toBe('en');
    expect(form.get('response_format')).toBe('json');
  });

  it('encodes PCM samples as WAV and returns segments from verbose_json', async () => {
    const model = await transcriber(
      { text: 'Hi.', language: 'english', segments: [{ id: 0, start: 0, end: 0.5, text: ' Hi.' }] },
      { responseFormat: 'verbose_json', language: 'en' },
    );
    const samples = Float32Array.from({ length: 1600 }, (_, i) => Math.sin(i / 8));
    const result = await model.transcribe({ samples, sampleRate: 16_000 });
    expect(result).toEqual({ text: 'Hi.', language: 'english', segments: [{ start: 0, end: 0.5, text: 'Hi.' }] });
    const form = await formOf(server?.requests[0]);
    const file = form.get('file') as File;
    expect(file.name).toBe('audio.wav');
    expect(file.size).toBe(44 + 1600 * 2);
    expect(Buffer.from(await file.slice(0, 4).arrayBuffer()).toString('ascii')).toBe('RIFF');
    expect(form.get('language')).toBe('en');
    expect(form.get('response_format')).toBe('verbose_json');
  });

  it('reads a file path and keeps its name; a missing file is INPUT_INVALID', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ferry-stt-'));
    try {
      const file = path.join(dir, 'call.ogg');
      await writeFile(file, Uint8Array.of(0x4f, 0x67, 0x67, 0x53, 1, 2));
      const model = await transcriber({ text: 'ok' });
      await model.transcribe({ path: file });
      expect(((await formOf(server?.requests[0])).get('file') as File).name).toBe('call.ogg');
      await expect(model.transcribe({ path: path.join(dir, 'missing.wav') })).rejects.toMatchObject({ code: 'INPUT_INVALID', field: 'audio.path' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
