import { readFileSync } from 'node:fs';
import { definePlugin, type Guard } from '@ferry/core';
import { z } from 'zod';
import { injectionGuard } from './guard/index.js';
import { getPrompt, promptLibrary } from './library/index.js';
import { redactGuard } from './redact/index.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const promptPluginConfigSchema = z.strictObject({
  injection: z
    .strictObject({
      action: z.enum(['block', 'flag', 'strip']).default('block'),
      flagAt: z.number().min(0).max(1).default(0.45),
      blockAt: z.number().min(0).max(1).default(0.75),
    })
    .refine((t) => t.flagAt <= t.blockAt, { message: 'flagAt must not exceed blockAt', path: ['flagAt'] })
    .default({ action: 'block', flagAt: 0.45, blockAt: 0.75 }),
  redact: z
    .strictObject({
      types: z.array(z.enum(['email', 'phone', 'card', 'cn-resident-id', 'iban', 'ip', 'secret'])).min(1).optional(),
    })
    .default({}),
});

export type PromptPluginConfig = z.input<typeof promptPluginConfigSchema>;

/** What dependents get from `ctx.use('@ferry/plugin-prompt')`: guards built from the app's config, and the library. */
export interface PromptPluginApi {
  injectionGuard: Guard;
  redactGuard: Guard;
  library: typeof promptLibrary;
  getPrompt: typeof getPrompt;
}

export const plugin = definePlugin<z.output<typeof promptPluginConfigSchema>, PromptPluginApi>({
  name: '@ferry/plugin-prompt',
  version: VERSION,
  description: 'Typed prompt templates and library, structured output, few-shot selection, injection guard, PII and secret redaction',
  core: '^0.1.0',
  configSchema: promptPluginConfigSchema,
  setup(ctx) {
    const { injection, redact } = ctx.config;
    return {
      api: {
        injectionGuard: injectionGuard({
          action: injection.action,
          thresholds: { flag: injection.flagAt, block: injection.blockAt },
          onFlag: (result, path) => ctx.logger.warn('prompt injection suspected', { path, risk: result.risk, verdict: result.verdict }),
        }),
        redactGuard: redactGuard(redact.types === undefined ? {} : { types: redact.types }),
        library: promptLibrary,
        getPrompt,
      },
    };
  },
});
