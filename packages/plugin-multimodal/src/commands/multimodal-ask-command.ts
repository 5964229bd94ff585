import { Args, Command, Flags } from '@oclif/core';
import type { VisionLanguageModel } from '@ferry/core';
import { ClipVqaModel } from '../vqa/clip-vqa-model.js';
import { OpenAIVisionModel } from '../vqa/openai-vision-model.js';
import { createTransformersVisionModel } from '../vqa/transformers-vision-model.js';
import { startHost } from './model-host.js';

export class MultimodalAskCommand extends Command {
  static override description =
    'Ask a question about an image: an OpenAI-compatible vision model (--vision-model), a local transformers.js image-to-text model folder (--vlm, answers with a caption), or offline closed-set answers by CLIP zero-shot (--clip) that says when it cannot answer';
  static override examples = [
    '<%= config.bin %> multimodal ask photo.jpg "What colour is the car?" --clip transformers:Xenova/clip-vit-base-patch32',
    'OPENAI_API_KEY=... <%= config.bin %> multimodal ask photo.jpg "Describe the scene" --vision-model gpt-4o-mini',
    '<%= config.bin %> multimodal ask photo.jpg "Describe the scene" --vlm ./models/vit-gpt2-image-captioning',
  ];
  static override args = {
    image: Args.string({ required: true, description: 'image file, or an http(s) URL' }),
    question: Args.string({ required: true, description: 'the question' }),
  };
  static override flags = {
    clip: Flags.string({ description: 'image-embedding model for the offline closed-set answerer', exactlyOne: ['clip', 'vision-model', 'vlm'] }),
    'vision-model': Flags.string({ description: 'model name on an OpenAI-compatible /chat/completions that accepts images', exactlyOne: ['clip', 'vision-model', 'vlm'] }),
    vlm: Flags.string({ description: 'local transformers.js image-to-text model folder (VisionEncoderDecoder, e.g. Xenova/vit-gpt2-image-captioning): answers with the caption it generates', exactlyOne: ['clip', 'vision-model', 'vlm'] }),
    'max-tokens': Flags.integer({ min: 1, description: 'most new tokens for --vlm and --vision-model answers' }),
    'base-url': Flags.string({ description: 'OpenAI-compatible API base URL', default: 'https://api.openai.com/v1' }),
    'api-key-env': Flags.string({ description: 'environment variable holding the API key', default: 'OPENAI_API_KEY' }),
    candidates: Flags.string({ description: 'comma-separated candidate answers for the CLIP answerer (objects or colours)' }),
    config: Flags.string({ description: 'ferry config file (or its folder)' }),
    json: Flags.boolean({ description: 'print JSON' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(MultimodalAskCommand);
    const image = /^https?:\/\//.test(args.image) ? { url: args.image } : { path: args.image };
    const maxTokens = flags['max-tokens'] === undefined ? {} : { maxTokens: flags['max-tokens'] };
    const candidates = flags.candidates?.split(',').map((c) => c.trim()).filter(Boolean);
    let answer;
    if (flags.clip) {
      const host = await startHost(flags.clip, flags.config);
      try {
        const embedder = await host.model('image-embedding', flags.clip);
        const model: VisionLanguageModel = new ClipVqaModel(embedder, candidates ? { objects: candidates, colours: candidates } : {});
        answer = await model.answer(image, args.question);
      } finally {
        await host.dispose();
      }
    } else if (flags.vlm) {
      const model = await createTransformersVisionModel({ folder: flags.vlm });
      try {
        answer = await model.answer(image, args.question, maxTokens);
      } finally {
        await model.dispose();
      }
    } else {
      const apiKey = process.env[flags['api-key-env']];
      const model = new OpenAIVisionModel({ model: flags['vision-model'] ?? '', baseUrl: flags['base-url'], ...(apiKey ? { apiKey } : {}) });
      answer = await model.answer(image, args.question, maxTokens);
    }
    if (flags.json) this.log(JSON.stringify(answer, null, 2));
    else this.log(answer.finishReason === 'no-answer' ? `(no answer) ${answer.text}` : answer.text);
    if (answer.finishReason === 'no-answer') this.exit(2);
  }
}
