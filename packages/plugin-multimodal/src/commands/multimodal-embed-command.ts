import { Args, Command, Flags } from '@oclif/core';
import { requireTextSide } from '../clip/zero-shot.js';
import { withImageEmbedder } from './model-host.js';
import { modelFlags } from './shared-flags.js';

export class MultimodalEmbedCommand extends Command {
  static override description = 'Embed images (and texts with --text) with a CLIP-style model; prints one vector per input';
  static override strict = false;
  static override examples = ['<%= config.bin %> multimodal embed photo.jpg --model transformers:Xenova/clip-vit-base-patch32 --json'];
  static override args = { images: Args.string({ description: 'image files', required: false }) };
  static override flags = {
    ...modelFlags,
    text: Flags.string({ description: 'a text to embed in the same space (repeatable)', multiple: true }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(MultimodalEmbedCommand);
    const files = argv as string[];
    const texts = flags.text ?? [];
    if (files.length === 0 && texts.length === 0) this.error('give image files and/or --text', { exit: 1 });
    const rows = await withImageEmbedder(flags.model, flags.config, async (embedder) => {
      const images = files.length ? await embedder.embedImages(files.map((path) => ({ path }))) : [];
      const textVectors = texts.length ? await requireTextSide(embedder)(texts) : [];
      return [...files.map((file, i) => ({ image: file, embedding: [...(images[i] ?? [])] })), ...texts.map((text, i) => ({ text, embedding: [...(textVectors[i] ?? [])] }))];
    });
    if (flags.json) this.log(JSON.stringify(rows, null, 2));
    else for (const row of rows) this.log(`${'image' in row ? row.image : JSON.stringify(row.text)}  [${row.embedding.length}]  ${row.embedding.slice(0, 4).map((v) => v.toFixed(4)).join(' ')} …`);
  }
}
