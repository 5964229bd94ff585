import type { FerryConfig } from '../config/config-schema.js';
import { createOfflineProvider } from '../providers/offline/index.js';
import { createOpenAIProvider } from '../providers/openai/index.js';
import { CORE_VERSION } from '../version.js';
import { definePlugin } from './define-plugin.js';

export const CORE_PLUGIN_NAME = '@ferry/core';

/**
 * The built-in providers as a plugin like any other, so `ferry plugins` lists
 * them and other plugins can `requires: { '@ferry/core': ... }`.
 */
export function createCorePlugin(providers: FerryConfig['providers']) {
  return definePlugin({
    name: CORE_PLUGIN_NAME,
    version: CORE_VERSION,
    description: 'Built-in providers: offline (no weights, no network) and openai (any OpenAI-compatible endpoint)',
    setup(ctx) {
      ctx.models.registerProvider(createOfflineProvider());
      ctx.models.registerProvider(createOpenAIProvider(providers.openai ?? {}));
    },
  });
}
