import { extname } from 'node:path';

/** Loader names, also the `type` in metadata. */
export type SourceType = 'txt' | 'md' | 'html' | 'pdf' | 'docx' | 'csv' | 'json';

/** Extensions each loader reads (lower case, no dot). */
export const EXTENSION_TYPES: Readonly<Record<string, SourceType>> = {
  txt: 'txt',
  text: 'txt',
  md: 'md',
  markdown: 'md',
  html: 'html',
  htm: 'html',
  pdf: 'pdf',
  docx: 'docx',
  csv: 'csv',
  tsv: 'csv',
  json: 'json',
  jsonl: 'json',
  ndjson: 'json',
};

export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(EXTENSION_TYPES);

export function extensionOf(path: string): string {
  return extname(path).slice(1).toLowerCase();
}

/** The loader for a path, from an explicit type (a loader name or an extension) or the file's extension. */
export function sourceTypeOf(path: string, override?: string): SourceType | undefined {
  const key = (override ?? extensionOf(path)).toLowerCase().replace(/^\./, '');
  return EXTENSION_TYPES[key];
}
