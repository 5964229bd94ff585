import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { definePlugin } from '@ferry/core';
import type { z } from 'zod';
import { transformersConfigSchema } from './transformers-config.js';
import { createTransformersProvider } from './transformers-provider.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Registers `transformers:`; relative model paths, `cacheDir` and `baseDir` start from the app's folder. */
export const plugin = definePlugin<z.output<typeof transformersConfigSchema>>({
  name: '@ferry/provider-transformers',
  version: VERSION,
  description: 'ONNX models in process through transformers.js: embeddings, text generation, classification, zero-shot, CLIP image embeddings',
  core: '^0.1.0',
  configSchema: transformersConfigSchema,
  setup(ctx) {
    const baseDir = resolve(ctx.appDir, ctx.config.baseDir ?? '.');
    const cacheDir = ctx.config.cacheDir === undefined ? {} : { cacheDir: resolve(ctx.appDir, ctx.config.cacheDir) };
    ctx.models.registerProvider(createTransformersProvider({ ...ctx.config, ...cacheDir, baseDir }, { logger: ctx.logger }));
  },
});
