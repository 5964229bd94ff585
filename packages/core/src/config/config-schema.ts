import { z } from 'zod';
import type { FerryPlugin } from '../plugins/define-plugin.js';

const pluginObject = z.custom<FerryPlugin<unknown, unknown>>(
  (v) => typeof v === 'object' && v !== null && 'name' in v && 'setup' in v,
  'must be a module specifier or a plugin made with definePlugin()',
);

const pluginSpec = z.union([z.string().min(1), pluginObject]);

const pluginWithConfig = z.strictObject({
  use: pluginSpec,
  config: z.unknown().optional(),
  enabled: z.boolean().default(true),
});

/**
 * One entry of `plugins`: a module specifier, a plugin object, either with
 * its config as `{ use, config }`, or the `[specifier, config]` shorthand.
 */
export const pluginEntrySchema = z.union([
  pluginSpec,
  pluginWithConfig,
  z.tuple([pluginSpec, z.unknown()]).transform(([use, config]) => ({ use, config, enabled: true })),
]);

const modelRef = z.string().regex(/^[a-z][a-z0-9-]*:.+$/, 'must be a model reference "provider:model", e.g. "offline:hash-384"');

/** A named model of the app: `embedder: 'offline:hash-384'` or with provider options. */
export const modelEntrySchema = z.union([
  modelRef,
  z.strictObject({
    ref: modelRef,
    options: z.record(z.string(), z.unknown()).default({}),
  }),
]);

export const ferryConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  /** App name, shown by `ferry doctor` and in logs. */
  name: z.string().min(1).default('ferry-app'),
  plugins: z.array(pluginEntrySchema).default([]),
  /** Aliases apps and pipelines use instead of hard-coding references. */
  models: z.record(z.string().regex(/^[a-zA-Z][\w-]*$/, 'model aliases are identifiers such as "embedder"'), modelEntrySchema).default({}),
  /** Settings of the built-in providers; each provider validates its own section. */
  providers: z
    .strictObject({
      openai: z.record(z.string(), z.unknown()).optional(),
    })
    .default({}),
});

export type FerryConfigInput = z.input<typeof ferryConfigSchema>;
export type FerryConfig = z.output<typeof ferryConfigSchema>;
export type PluginEntryInput = z.input<typeof pluginEntrySchema>;

/** Identity with types, for `ferry.config.ts`. */
export function defineConfig(config: FerryConfigInput): FerryConfigInput {
  return config;
}
