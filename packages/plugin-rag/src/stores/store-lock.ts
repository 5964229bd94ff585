import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FerryError } from '@ferry/core';
import { z } from 'zod';

export const LOCK_FILE = 'LOCK';

const lockSchema = z.object({ pid: z.number().int(), host: z.string(), since: z.string() });

/**
 * Takes the store's write lock: a file created exclusively, naming its
 * owner. A lock left by a process that is gone (kill -9) is taken over; one
 * held by a live process, this one included, is an error.
 */
export async function acquireStoreLock(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  const content = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, content, { flag: 'wx' });
      return async () => {
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(path);
    if (owner !== undefined && isAlive(owner)) {
      throw new FerryError('INPUT_INVALID', `vector store ${dir} is open for writing by process ${owner.pid} on ${owner.host} since ${owner.since}`, {
        field: 'dir',
        hint:
          owner.pid === process.pid && owner.host === hostname()
            ? 'This process already has the store open: reuse that handle, or close() it first.'
            : `Close the store in that process first (or stop it). If process ${owner.pid} no longer exists, delete ${path}.`,
        details: { dir, pid: owner.pid, host: owner.host },
      });
    }
    // The owner is gone, or the file is unreadable (a crash while writing it): take it over.
    await rm(path, { force: true });
  }
  throw new FerryError('INPUT_INVALID', `could not take the lock ${path}: another process took it at the same moment`, {
    field: 'dir',
    hint: 'Open the store from one process at a time.',
  });
}

async function readOwner(path: string): Promise<z.infer<typeof lockSchema> | undefined> {
  try {
    return lockSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    return undefined;
  }
}

function isAlive(owner: z.infer<typeof lockSchema>): boolean {
  // A process on another machine (a shared folder) cannot be probed: assume it is alive.
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
