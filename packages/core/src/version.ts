import { readFileSync } from 'node:fs';

/**
 * The version of @ferry/core, read from its package.json (one folder up from
 * both src/ and dist/) so a changeset bump can never leave it stale.
 */
export const CORE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
