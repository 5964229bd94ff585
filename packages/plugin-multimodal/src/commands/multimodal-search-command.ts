import { Command, Flags } from '@oclif/core';
import { FerryError } from '@ferry/core';
import type { MetadataFilter } from '@ferry/plugin-rag';
import { openImageSearchIndex } from '../clip/image-search.js';
import { withImageEmbedder } from './model-host.js';
import { modelFlags } from './shared-flags.js';

export class MultimodalSearchCommand extends Command {
  static override description = 'Search a folder of images by text or by an example image (CLIP embeddings in the rag plugin\'s vector store)';
  static override examples = [
    '<%= config.bin %> multimodal search --folder photos --text "a red bicycle" --model transformers:Xenova/clip-vit-base-patch32',
    '<%= config.bin %> multimodal search --folder photos --index .ferry/photo-index --image query.jpg -k 3 --model transformers:./models/clip',
    '<%= config.bin %> multimodal search --folder photos --index .ferry/photo-index --text "a cat" --filter \'{"dir":"2024"}\' --model transformers:./models/clip',
  ];
  static override flags = {
    ...modelFlags,
    folder: Flags.string({ char: 'f', required: true, description: 'folder of images (searched recursively)' }),
    index: Flags.string({ description: 'folder of an embedded vector store that keeps the index between runs (only new or changed images are embedded); without it a temporary one is used' }),
    collection: Flags.string({ default: 'images', description: 'collection name in the index' }),
    filter: Flags.string({ description: 'metadata filter as JSON, e.g. {"dir":"cats"} or {"width":{"$gte":512}} (fields: folder, path, dir, contentHash, bytes, mtimeMs, width, height, format)' }),
    text: Flags.string({ char: 't', description: 'text query', exactlyOne: ['text', 'image'] }),
    image: Flags.string({ char: 'i', description: 'query image file', exactlyOne: ['text', 'image'] }),
    k: Flags.integer({ char: 'k', default: 5, min: 1, description: 'number of results' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(MultimodalSearchCommand);
    const filter = flags.filter === undefined ? undefined : parseFilter(flags.filter);
    const hits = await withImageEmbedder(flags.model, flags.config, async (embedder) => {
      const index = await openImageSearchIndex(embedder, { collection: flags.collection, ...(flags.index === undefined ? {} : { dir: flags.index }) });
      try {
        const report = await index.addFolder(flags.folder, { onProgress: (done, total) => process.stderr.write(`\rchecked ${done}/${total}`) });
        process.stderr.write(`\n${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.removed} removed, ${report.skipped.length} skipped\n`);
        for (const skip of report.skipped) process.stderr.write(`skipped ${skip.path}: ${skip.message}\n`);
        const options = filter === undefined ? {} : { filter };
        return flags.text !== undefined ? await index.searchText(flags.text, flags.k, options) : await index.searchImage({ path: flags.image ?? '' }, flags.k, options);
      } finally {
        await index.close();
      }
    });
    if (flags.json) this.log(JSON.stringify(hits, null, 2));
    else for (const hit of hits) this.log(`${hit.score.toFixed(4)}  ${hit.id}`);
  }
}

function parseFilter(text: string): MetadataFilter {
  try {
    return JSON.parse(text) as MetadataFilter;
  } catch (cause) {
    throw new FerryError('INPUT_INVALID', `--filter is not JSON: ${text}`, { field: 'filter', hint: 'Quote a JSON object, e.g. --filter \'{"dir":"cats"}\'.', cause });
  }
}
