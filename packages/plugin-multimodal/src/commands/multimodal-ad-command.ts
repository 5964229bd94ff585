import { resolve } from 'node:path';
import { Command, Flags } from '@oclif/core';
import { BANNER_SIZES, type BannerSize } from '../ad/banner.js';
import { generateCampaign } from '../ad/campaign.js';
import { readProduct } from '../ad/product-schema.js';

export class MultimodalAdCommand extends Command {
  static override description =
    'Generate an ad campaign from product JSON: keywords, copy per tone and language, image prompts, and banners (1080x1080, 1200x628, 1080x1920) with campaign.json and index.html. Fully offline.';
  static override examples = ['<%= config.bin %> multimodal ad --product product.json --out campaign'];
  static override flags = {
    product: Flags.string({ char: 'p', required: true, description: 'product JSON (name, features, audience, brandColors, tones, languages, photo...)' }),
    out: Flags.string({ char: 'o', required: true, description: 'campaign folder to write' }),
    size: Flags.string({ description: 'banner sizes to render (repeatable; default all)', multiple: true, options: Object.keys(BANNER_SIZES) }),
    'cjk-font': Flags.string({ description: 'CJK font file for Chinese banners (default: an installed WenQuanYi or Noto CJK font)' }),
    'cjk-family': Flags.string({ description: 'family name inside --cjk-font', dependsOn: ['cjk-font'] }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(MultimodalAdCommand);
    const product = await readProduct(flags.product);
    const outDir = resolve(flags.out);
    const cjk = flags['cjk-font'] ? { file: flags['cjk-font'], family: flags['cjk-family'] ?? 'WenQuanYi Micro Hei' } : undefined;
    const manifest = await generateCampaign({
      product,
      outDir,
      ...(flags.size ? { sizes: flags.size as BannerSize[] } : {}),
      ...(cjk ? { fonts: { cjk } } : {}),
      onProgress: (step, done, total) => process.stderr.write(`\r${step} ${done}/${total}   ${done === total ? '\n' : ''}`),
    });
    this.log(`wrote ${manifest.banners.length} banners, ${manifest.copy.length} copy sets to ${outDir} (campaign.json, index.html)`);
  }
}
