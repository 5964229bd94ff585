import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FerryHost, isFerryError } from '@ferry/core';
import { readProduct, type MultimodalPluginApi } from '@ferry/plugin-multimodal';
import { APP_DIR } from './app.js';
import { newCampaignId } from './campaigns.js';

const USAGE = `npm run ad -- --product data/product.json [--out campaigns/<name>]

Writes a campaign folder: campaign.json, index.html (preview), banners/<lang>-<tone>-<size>.png.
--product, -p  product JSON (default data/product.json); a "photo" is read relative to it
--out, -o      folder to write (default campaigns/<product>-<time>)`;

const envFile = new URL('../.env', import.meta.url);
if (existsSync(envFile)) process.loadEnvFile(envFile);

let values: { product: string; out?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      product: { type: 'string', short: 'p', default: 'data/product.json' },
      out: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const host = await FerryHost.start({ config: APP_DIR });
try {
  const product = await readProduct(resolve(values.product));
  const outDir = resolve(values.out ?? `campaigns/${newCampaignId(product.name)}`);
  const multimodal = host.api<MultimodalPluginApi>('@ferry/plugin-multimodal');
  const manifest = await multimodal.generateCampaign({
    product,
    outDir,
    onProgress: (step, done, total) => process.stderr.write(`\r${step} ${done}/${total}${done === total ? '\n' : ''}`),
  });
  console.log(`wrote ${manifest.banners.length} banners and ${manifest.copy.length} copy sets (writer: ${manifest.writer}) to ${outDir}`);
  console.log(`open ${resolve(outDir, 'index.html')} to preview them`);
} catch (error) {
  // Bad product JSON or a missing CJK font: say what is wrong and how to fix it, without a stack trace.
  if (!isFerryError(error)) throw error;
  console.error(`error: ${error.message}`);
  process.exitCode = 1;
} finally {
  await host.dispose();
}
