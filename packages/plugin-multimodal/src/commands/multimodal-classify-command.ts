import { Args, Command, Flags } from '@oclif/core';
import { classifyImages, DEFAULT_PROMPT_TEMPLATES } from '../clip/zero-shot.js';
import { withImageEmbedder } from './model-host.js';
import { modelFlags } from './shared-flags.js';

export class MultimodalClassifyCommand extends Command {
  static override description = 'Zero-shot image classification with prompt ensembling ("a photo of a {}." and more) over a CLIP-style model';
  static override strict = false;
  static override examples = ['<%= config.bin %> multimodal classify cat.jpg dog.jpg --labels cat,dog,bird --model transformers:Xenova/clip-vit-base-patch32'];
  static override args = { images: Args.string({ description: 'image files', required: true }) };
  static override flags = {
    ...modelFlags,
    labels: Flags.string({ char: 'l', required: true, description: 'comma-separated candidate labels' }),
    template: Flags.string({ description: `prompt template with {} (repeatable; default: ${DEFAULT_PROMPT_TEMPLATES.length} CLIP prompts)`, multiple: true }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(MultimodalClassifyCommand);
    const files = argv as string[];
    const labels = flags.labels.split(',').map((l) => l.trim()).filter(Boolean);
    const results = await withImageEmbedder(flags.model, flags.config, (embedder) =>
      classifyImages(embedder, files.map((path) => ({ path })), labels, flags.template ? { templates: flags.template } : {}),
    );
    if (flags.json) {
      this.log(JSON.stringify(files.map((file, i) => ({ image: file, ...results[i] })), null, 2));
      return;
    }
    files.forEach((file, i) => {
      const r = results[i];
      this.log(`${file}: ${r?.label} (${r?.score.toFixed(3)})  ${r?.ranking.slice(1, 4).map((x) => `${x.label} ${x.score.toFixed(3)}`).join(', ')}`);
    });
  }
}
