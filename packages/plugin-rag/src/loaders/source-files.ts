import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fromZodError } from '@ferry/core';
import picomatch from 'picomatch';
import { z } from 'zod';
import { SUPPORTED_EXTENSIONS } from './file-types.js';
import { isInsideRoot } from './inside-root.js';
import { loadError } from './load-error.js';

export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the root, `/`-separated. */
  source: string;
  size: number;
  mtimeMs: number;
}

export interface SourceFileOptions {
  /** Globs (picomatch, matched against `source`) of files to take. Default: every supported extension. */
  include?: string[];
  /** Globs of files and folders to leave out, added to DEFAULT_EXCLUDE. */
  exclude?: string[];
  /**
   * Follow symbolic links whose target lies outside `root`. Off by default:
   * a link planted in the documents folder (to ~/.ssh, /etc or another
   * tenant's folder) would otherwise put files from anywhere on the machine
   * into the knowledge base. Such links are reported in `unreadable` instead.
   * Turn it on only for a root that gathers other folders by links on
   * purpose. Links that stay inside the root are always followed.
   */
  followLinksOutsideRoot?: boolean;
}

export interface SourceScan {
  files: SourceFile[];
  /** Included entries that cannot be read (dangling links, unreadable folders, links out of the root), with why. */
  unreadable: Array<{ source: string; reason: string }>;
}

export const DEFAULT_INCLUDE: readonly string[] = [`**/*.{${SUPPORTED_EXTENSIONS.join(',')}}`];
/** Dependencies, version control and dot files are never knowledge. */
export const DEFAULT_EXCLUDE: readonly string[] = ['**/node_modules', '**/node_modules/**', '**/.*', '**/.*/**'];

const optionsSchema = z
  .object({
    include: z.array(z.string().min(1)).min(1).optional(),
    exclude: z.array(z.string().min(1)).optional(),
    followLinksOutsideRoot: z.boolean().optional(),
  })
  .strict();

const describeError = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'cannot read: the link points to nothing (ENOENT)' : `cannot read: ${code ?? (error as Error).message}`;
};

/**
 * Walks `root` for files matching the globs, sorted by `source`. Links are
 * followed (each real folder once) while they stay inside the root, or
 * anywhere with `followLinksOutsideRoot`; entries that cannot be read or that
 * lead out of the root are reported in `unreadable` instead of failing the scan.
 */
export async function scanSourceFiles(root: string, options: SourceFileOptions = {}): Promise<SourceScan> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: 'Source file options' });
  const base = resolve(root);
  const rootInfo = await stat(base).catch((error: unknown) => {
    throw loadError(root, 'unreadable', `the ingest root cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'Pass an existing folder as the root.', error);
  });
  if (!rootInfo.isDirectory()) throw loadError(root, 'unreadable', 'the ingest root is not a folder', 'Pass the folder that holds the documents (load a single file with loadFile).');

  const matchOptions = { dot: true, nocase: true };
  const included = picomatch([...(parsed.data.include ?? DEFAULT_INCLUDE)], matchOptions);
  const excluded = picomatch([...DEFAULT_EXCLUDE, ...(parsed.data.exclude ?? [])], matchOptions);
  const files: SourceFile[] = [];
  const unreadable: SourceScan['unreadable'] = [];
  const realRoot = await realpath(base);
  const followOutside = parsed.data.followLinksOutsideRoot ?? false;
  const seen = new Set<string>([realRoot]);

  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      unreadable.push({ source: prefix || '.', reason: describeError(error) });
      return;
    }
    // Real entries before links, so a folder reached both ways is listed under its own name.
    entries.sort((a, b) => Number(a.isSymbolicLink()) - Number(b.isSymbolicLink()) || (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const source = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (excluded(source)) continue;
      const path = join(dir, entry.name);
      let info;
      try {
        info = entry.isSymbolicLink() ? await stat(path) : await lstat(path);
      } catch (error) {
        if (included(source)) unreadable.push({ source, reason: describeError(error) });
        continue;
      }
      let real = path;
      if (entry.isSymbolicLink()) {
        try {
          real = await realpath(path);
        } catch (error) {
          if (included(source)) unreadable.push({ source, reason: describeError(error) });
          continue;
        }
        if (!followOutside && !isInsideRoot(realRoot, real)) {
          if (info.isDirectory() || included(source)) {
            unreadable.push({
              source,
              reason: `not followed: the link leads outside the ingest root, to ${real} (set followLinksOutsideRoot: true to follow links out of the root)`,
            });
          }
          continue;
        }
      } else if (info.isDirectory()) {
        real = await realpath(path).catch(() => path);
      }
      if (info.isDirectory()) {
        if (seen.has(real)) continue;
        seen.add(real);
        await walk(path, source);
      } else if (info.isFile() && included(source)) {
        files.push({ path, source, size: info.size, mtimeMs: info.mtimeMs });
      }
    }
  };
  await walk(base, '');
  const bySource = (a: { source: string }, b: { source: string }): number => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0);
  return { files: files.sort(bySource), unreadable: unreadable.sort(bySource) };
}

/** The readable files under `root` that match the globs, sorted by `source`. */
export async function listSourceFiles(root: string, options: SourceFileOptions = {}): Promise<SourceFile[]> {
  return (await scanSourceFiles(root, options)).files;
}
