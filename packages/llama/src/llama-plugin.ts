import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { definePlugin } from '@ferry/core';
import type { z } from 'zod';
import { createLlamaProvider, llamaProviderConfigSchema } from './provider/llama-provider.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Registers `llama:`; model folders, aliases' paths and `baseDir` are relative to the app's folder. */
export const plugin = definePlugin<z.output<typeof llamaProviderConfigSchema>>({
  name: '@ferry/llama',
  version: VERSION,
  description: 'Llama-family decoders from Hugging Face safetensors folders on Ferry kernels: text generation with a KV cache, embeddings',
  core: '^0.1.0',
  configSchema: llamaProviderConfigSchema,
  setup(ctx) {
    const provider = createLlamaProvider({ ...ctx.config, baseDir: resolve(ctx.appDir, ctx.config.baseDir ?? '.') });
    ctx.models.registerProvider(provider);
    ctx.onDispose(() => provider.dispose?.());
  },
});
