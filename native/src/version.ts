import { readFileSync } from 'node:fs';

/** Read from package.json (one folder up from both src/ and dist/) so a release bump cannot leave it stale. */
export const NATIVE_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
