import semver from 'semver';
import { z } from 'zod';
import type { PluginContext } from './plugin-context.js';

/** What a plugin's setup may hand back: an API for dependent plugins and a cleanup. */
export interface PluginSetupResult<Api = unknown> {
  api?: Api;
  dispose?: () => void | Promise<void>;
}

export interface FerryPlugin<Config = unknown, Api = unknown> {
  /** Package-style name, unique in an app: `@ferry/plugin-rag`, `acme-kernels`. */
  name: string;
  /** Semver of the plugin itself; dependents' `requires` ranges are checked against it. */
  version: string;
  description?: string;
  /** Range of @ferry/core it works with (its peerDependency). Defaults to any. */
  core?: string;
  /** Other plugins it needs, by name, with a semver range: `{ '@ferry/plugin-prompt': '^0.1.0' }`. */
  requires?: Record<string, string>;
  /** Validates this plugin's section of the app config. */
  configSchema?: z.ZodType<Config>;
  setup(ctx: PluginContext<Config>): void | PluginSetupResult<Api> | Promise<void | PluginSetupResult<Api>>;
}

const semverString = z.string().refine((v) => semver.valid(v) !== null, {
  message: 'must be a semver version such as "1.2.3"',
});
const semverRange = z.string().refine((v) => semver.validRange(v) !== null, {
  message: 'must be a semver range such as "^1.2.0"',
});

/** Shape check for plugin objects that come from user modules at run time. */
export const pluginDefinitionSchema = z.object({
  name: z
    .string()
    .regex(/^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/, 'must be a lower-case package-style name such as "@acme/ferry-plugin-x"'),
  version: semverString,
  description: z.string().optional(),
  core: semverRange.optional(),
  requires: z.record(z.string(), semverRange).optional(),
  configSchema: z.custom<z.ZodType>((v) => v instanceof z.ZodType, 'must be a zod schema').optional(),
  setup: z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', 'must be a function setup(ctx)'),
});

/** Identity with types: gives plugin authors inference of their config type in `setup`. */
export function definePlugin<Config = undefined, Api = unknown>(plugin: FerryPlugin<Config, Api>): FerryPlugin<Config, Api> {
  return plugin;
}
