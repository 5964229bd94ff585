import type { LoadedDocument } from '../documents/chunk.js';
import { type LoadFailure, loadFailureOf } from './load-error.js';
import { loadFile } from './load-file.js';
import { scanSourceFiles, type SourceFileOptions } from './source-files.js';

export interface LoadDirectoryOptions extends SourceFileOptions {
  /** Files read at once. Default 4. */
  concurrency?: number;
  /** Called after each file, loaded or skipped. */
  onProgress?: (progress: { done: number; total: number; source: string }) => void;
}

export interface SkippedSource {
  source: string;
  /** The error message, with its fix. */
  reason: string;
  /** What kind of failure, for counting and filtering. */
  failure: LoadFailure;
}

export interface LoadedDirectory {
  /** In `source` order, a file's documents in their own order. */
  documents: LoadedDocument[];
  skipped: SkippedSource[];
}

/**
 * Loads every matching file under `root`. A file that cannot be loaded is
 * skipped with the reason (its FerryError message) and the rest still load.
 */
export async function loadDirectory(root: string, options: LoadDirectoryOptions = {}): Promise<LoadedDirectory> {
  const { concurrency = 4, onProgress, ...globs } = options;
  const { files, unreadable } = await scanSourceFiles(root, globs);
  const results: Array<LoadedDocument[] | SkippedSource> = new Array(files.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      const file = files[index]!;
      try {
        results[index] = await loadFile(file.path, { root });
      } catch (error) {
        results[index] = {
          source: file.source,
          reason: error instanceof Error ? error.message : String(error),
          failure: loadFailureOf(error) ?? 'unreadable',
        };
      }
      onProgress?.({ done: ++done, total: files.length, source: file.source });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, files.length)) }, worker));
  const documents: LoadedDocument[] = [];
  const skipped: SkippedSource[] = unreadable.map((entry) => ({ ...entry, failure: 'unreadable' }));
  for (const result of results) {
    if (Array.isArray(result)) documents.push(...result);
    else skipped.push(result);
  }
  skipped.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return { documents, skipped };
}
