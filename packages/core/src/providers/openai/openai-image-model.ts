import type { z } from 'zod';
import type { GeneratedImage, ImageGenerateOptions, ImageGenerator, ModelMetadata } from '../../models/model-types.js';
import { sniffMediaType } from './media-type.js';
import type { OpenAIClient } from './openai-client.js';
import type { openAIImageOptionsSchema } from './openai-model-options.js';
import { imagesSchema } from './openai-wire-schemas.js';

const PATH = '/images/generations';

/** `openai:<model>` for image generation, through `/images/generations` with base64 replies. */
export class OpenAIImageModel implements ImageGenerator {
  constructor(
    private readonly client: OpenAIClient,
    readonly metadata: ModelMetadata,
    private readonly defaults: z.output<typeof openAIImageOptionsSchema> = {},
  ) {}

  async generateImages(prompt: string, options: ImageGenerateOptions = {}): Promise<GeneratedImage[]> {
    const width = options.width ?? this.defaults.width;
    const height = options.height ?? this.defaults.height;
    const body = {
      model: this.metadata.model,
      prompt,
      n: options.n,
      // One side given means a square: the API takes both or neither.
      size: width === undefined && height === undefined ? undefined : `${width ?? height}x${height ?? width}`,
      seed: options.seed,
      response_format: 'b64_json',
    };
    const reply = await this.client.postJson(PATH, body, imagesSchema, options.signal);
    return reply.data.map((image) => {
      const data = new Uint8Array(Buffer.from(image.b64_json, 'base64'));
      return {
        data,
        // The API does not say the format; the bytes do (PNG unless output_format was changed).
        mimeType: sniffMediaType(data).mimeType,
        ...(image.revised_prompt ? { revisedPrompt: image.revised_prompt } : {}),
      };
    });
  }
}
