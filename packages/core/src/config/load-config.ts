import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createJiti } from 'jiti';
import { FerryError, fromZodError } from '../errors/ferry-error.js';
import { ferryConfigSchema, type FerryConfig } from './config-schema.js';

export const CONFIG_FILE_NAMES = ['ferry.config.ts', 'ferry.config.mts', 'ferry.config.js', 'ferry.config.mjs', 'ferry.config.json'] as const;

export interface LoadedConfig {
  config: FerryConfig;
  /** Absolute path of the file it came from. */
  path: string;
  /** Folder of that file: plugin paths and data paths resolve against it. */
  appDir: string;
}

/**
 * The config file in `dir` or its `src/` (where generated apps keep it, so it
 * is type-checked with their code), or `dir` itself when it is a file.
 */
export function findConfigFile(dirOrFile: string): string | undefined {
  const target = resolve(dirOrFile);
  if (existsSync(target) && statSync(target).isFile()) return target;
  return [target, join(target, 'src')].flatMap((dir) => CONFIG_FILE_NAMES.map((name) => join(dir, name))).find((path) => existsSync(path));
}

/** An app's root: the config's folder, or its parent when the config sits in the package's `src/`. */
function appDirOf(configPath: string): string {
  const dir = dirname(configPath);
  return basename(dir) === 'src' && existsSync(join(dir, '..', 'package.json')) ? dirname(dir) : dir;
}

/**
 * Loads and validates a ferry config. TypeScript configs go through jiti so a
 * plain Node 20 (no type stripping) can read them.
 */
export async function loadConfig(dirOrFile: string): Promise<LoadedConfig> {
  const path = findConfigFile(dirOrFile);
  if (!path) {
    throw new FerryError('CONFIG_NOT_FOUND', `no ferry config in ${resolve(dirOrFile)}`, {
      field: 'config',
      hint: `Create one of ${CONFIG_FILE_NAMES.join(', ')} there (e.g. {"plugins": []} in ferry.config.json), or pass its path with --config.`,
    });
  }
  const raw = path.endsWith('.json') ? readJsonConfig(path) : await importConfigModule(path);
  return { config: parseConfig(raw, path), path, appDir: appDirOf(path) };
}

export function parseConfig(raw: unknown, source = 'config'): FerryConfig {
  const result = ferryConfigSchema.safeParse(raw);
  if (!result.success) {
    throw fromZodError('CONFIG_INVALID', result.error, { what: `ferry config (${source})` });
  }
  return result.data;
}

function readJsonConfig(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FerryError('CONFIG_INVALID', `${path} is not valid JSON: ${(error as Error).message}`, {
      field: 'config',
      hint: 'Fix the JSON syntax at the position given (trailing commas and comments are not allowed in JSON; use ferry.config.ts for comments).',
      cause: error,
    });
  }
}

async function importConfigModule(path: string): Promise<unknown> {
  const jiti = createJiti(path, { moduleCache: false });
  let mod: Record<string, unknown>;
  try {
    mod = await jiti.import<Record<string, unknown>>(path);
  } catch (error) {
    throw new FerryError('CONFIG_INVALID', `${path} failed to load: ${(error as Error).message}`, {
      field: 'config',
      hint: 'Fix the error in the config module; it must run on its own and export the config.',
      cause: error,
    });
  }
  const config = mod.config ?? mod.default;
  if (config === undefined) {
    throw new FerryError('CONFIG_INVALID', `${path} exports no config`, {
      field: 'config',
      hint: 'Export it: `export const config = defineConfig({ plugins: [] })` (a default export works too).',
    });
  }
  return config;
}
