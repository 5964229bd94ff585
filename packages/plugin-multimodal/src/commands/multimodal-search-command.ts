import { Command, Flags } from '@oclif/core';
import { ImageSearchIndex } from '../clip/image-search.js';
import { withImageEmbedder } from './model-host.js';
import { modelFlags } from './shared-flags.js';

export class MultimodalSearchCommand extends Command {
  static override description = 'Search a folder of images by text or by an example image (cosine similarity over CLIP embeddings)';
  static override examples = [
    '<%= config.bin %> multimodal search --folder photos --text "a red bicycle" --model transformers:Xenova/clip-vit-base-patch32',
    '<%= config.bin %> multimodal search --folder photos --image query.jpg -k 3 --model transformers:./models/clip',
  ];
  static override flags = {
    ...modelFlags,
    folder: Flags.string({ char: 'f', required: true, description: 'folder of images (searched recursively)' }),
    text: Flags.string({ char: 't', description: 'text query', exactlyOne: ['text', 'image'] }),
    image: Flags.string({ char: 'i', description: 'query image file', exactlyOne: ['text', 'image'] }),
    k: Flags.integer({ char: 'k', default: 5, min: 1, description: 'number of results' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(MultimodalSearchCommand);
    const hits = await withImageEmbedder(flags.model, flags.config, async (embedder) => {
      const index = new ImageSearchIndex(embedder);
      await index.addFolder(flags.folder, { onProgress: (done, total) => process.stderr.write(`\rembedded ${done}/${total}`) });
      process.stderr.write('\n');
      return flags.text !== undefined ? index.searchText(flags.text, flags.k) : index.searchImage({ path: flags.image ?? '' }, flags.k);
    });
    if (flags.json) this.log(JSON.stringify(hits, null, 2));
    else for (const hit of hits) this.log(`${hit.score.toFixed(4)}  ${hit.id}`);
  }
}
