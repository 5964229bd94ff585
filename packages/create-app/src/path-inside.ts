import { isAbsolute, relative, resolve, sep } from 'node:path';
import { FerryError } from '@ferry/core';

/**
 * `path` resolved against `dir`, refused when it lands outside `dir` (`..`
 * steps, an absolute path): whatever the scaffolder and `ferry add` write or
 * replace stays inside the folder they were pointed at, whatever a template or
 * a name says.
 */
export function pathInside(dir: string, path: string, field: string, hint: string): string {
  const base = resolve(dir);
  const target = resolve(base, path);
  const rel = relative(base, target);
  if (rel === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) {
    throw new FerryError('INPUT_INVALID', `"${path}" leads outside ${base}`, { field, hint });
  }
  return target;
}
