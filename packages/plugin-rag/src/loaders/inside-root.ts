import { isAbsolute, relative, sep } from 'node:path';

/**
 * Whether `path` is `root` or lies below it, compared as given (pass real
 * paths to see through links). `..name` is a file name, not a step up.
 */
export function isInsideRoot(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}
