import type { z } from 'zod';
import type { AudioInput, ModelMetadata, SpeechToText, Transcription } from '../../models/model-types.js';
import { toAudioUpload } from './audio-upload.js';
import type { OpenAIClient } from './openai-client.js';
import type { openAISpeechToTextOptionsSchema } from './openai-model-options.js';
import { transcriptionSchema } from './openai-wire-schemas.js';

const PATH = '/audio/transcriptions';

/** `openai:<model>` for speech to text (Whisper and kin), through a multipart `/audio/transcriptions` upload. */
export class OpenAISpeechToTextModel implements SpeechToText {
  constructor(
    private readonly client: OpenAIClient,
    readonly metadata: ModelMetadata,
    private readonly defaults: z.output<typeof openAISpeechToTextOptionsSchema>,
  ) {}

  async transcribe(audio: AudioInput, options: { language?: string; signal?: AbortSignal } = {}): Promise<Transcription> {
    const upload = await toAudioUpload(audio);
    const form = new FormData();
    form.set('file', new Blob([upload.bytes], { type: upload.mimeType }), upload.filename);
    form.set('model', this.metadata.model);
    form.set('response_format', this.defaults.responseFormat);
    const language = options.language ?? this.defaults.language;
    if (language !== undefined) form.set('language', language);

    const reply = await this.client.postForm(PATH, form, transcriptionSchema, options.signal);
    return {
      text: reply.text.trim(),
      ...(reply.language === undefined ? {} : { language: reply.language }),
      ...(reply.segments === undefined ? {} : { segments: reply.segments.map(({ start, end, text }) => ({ start, end, text: text.trim() })) }),
    };
  }
}
