import { readdir, stat } from 'node:fs/promises';
import { FerryError } from '@ferry/core';

/** Files that do not make a folder "used": a fresh `git init` or editor state. */
const HARMLESS = new Set(['.git', '.DS_Store', '.idea', '.vscode']);

/**
 * Refuses to write into a folder that holds files, unless forced, so a typo
 * in the target never overwrites someone's project.
 */
export async function checkTargetFolder(dir: string, force: boolean): Promise<'missing' | 'empty' | 'forced'> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  if (!info.isDirectory()) {
    throw new FerryError('INPUT_INVALID', `${dir} exists and is not a folder`, {
      field: 'dir',
      hint: 'Choose another path for the new app.',
    });
  }
  const used = (await readdir(dir)).filter((name) => !HARMLESS.has(name));
  if (used.length === 0) return 'empty';
  if (force) return 'forced';
  throw new FerryError('INPUT_INVALID', `${dir} is not empty (${used.slice(0, 3).join(', ')}${used.length > 3 ? ', …' : ''})`, {
    field: 'dir',
    hint: 'Pick an empty or new folder, or pass --force to write the template over it (files with the same path are replaced).',
  });
}
