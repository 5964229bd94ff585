import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FerryError } from '../../errors/ferry-error.js';
import type { AudioInput } from '../../models/model-types.js';
import { sniffMediaType } from './media-type.js';
import { encodeWav } from './wav-encoder.js';

export interface AudioUpload {
  bytes: Uint8Array<ArrayBuffer>;
  /** Servers tell the format by the file name's extension, so it must be right. */
  filename: string;
  mimeType: string;
}

/** Any AudioInput as the file part of a transcription upload. */
export async function toAudioUpload(audio: AudioInput): Promise<AudioUpload> {
  if (audio instanceof Uint8Array) {
    const { mimeType, extension } = sniffMediaType(audio);
    return { bytes: new Uint8Array(audio), filename: `audio.${extension}`, mimeType };
  }
  if ('samples' in audio) {
    if (!Number.isInteger(audio.sampleRate) || audio.sampleRate <= 0) {
      throw new FerryError('INPUT_INVALID', `audio sampleRate must be a positive integer, got ${audio.sampleRate}`, {
        field: 'audio.sampleRate',
        hint: 'Pass the rate the samples were recorded at, e.g. 16000.',
      });
    }
    return { bytes: new Uint8Array(encodeWav(audio.samples, audio.sampleRate)), filename: 'audio.wav', mimeType: 'audio/wav' };
  }
  const bytes = await readFile(audio.path).catch((error: unknown) => {
    throw new FerryError('INPUT_INVALID', `cannot read the audio file ${audio.path}: ${error instanceof Error ? error.message : String(error)}`, {
      field: 'audio.path',
      hint: 'Check that the path exists and is readable (relative paths start at the current directory).',
      cause: error,
    });
  });
  return { bytes: new Uint8Array(bytes), filename: path.basename(audio.path), mimeType: sniffMediaType(bytes).mimeType };
}
