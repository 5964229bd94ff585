import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { isFerryError } from '@ferry/core';
import type { LoadedDocument, SourceMetadata } from '../documents/chunk.js';
import { declaredHtmlCharset, decodeText } from './decode-text.js';
import { extractDocx } from './docx-text.js';
import { type Extracted, tidy } from './extracted.js';
import { extensionOf, type SourceType, SUPPORTED_EXTENSIONS, sourceTypeOf } from './file-types.js';
import { loadError } from './load-error.js';
import { extractMarkdown } from './markdown-text.js';
import { extractPdf } from './pdf-text.js';
import { readableHtml } from './readable-html.js';
import { extractCsv, extractJson } from './record-files.js';

export interface LoadFileOptions {
  /** Ingest root: `source` is the path relative to it. Without it, `source` is the absolute path. */
  root?: string;
  /** Loader to use instead of the one the extension picks: txt, md, html, pdf, docx, csv, json (or an extension). */
  type?: string;
}

/** Larger files are refused rather than read whole into memory. */
const MAX_BYTES = 512 * 1024 * 1024;

const toPosix = (path: string): string => path.split(sep).join('/');

/** `path` relative to `root`, `/`-separated; absolute when outside it or when there is no root. */
export function sourceName(path: string, root?: string): string {
  const absolute = resolve(path);
  if (root === undefined) return toPosix(absolute);
  const rel = relative(resolve(root), absolute);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? toPosix(absolute) : toPosix(rel);
}

async function extract(type: SourceType, bytes: Buffer, source: string, extension: string): Promise<Extracted> {
  switch (type) {
    case 'pdf':
      return extractPdf(bytes, source);
    case 'docx':
      return extractDocx(bytes, source);
    case 'txt':
      return { parts: [{ text: decodeText(bytes, source) }] };
    case 'md':
      return extractMarkdown(decodeText(bytes, source));
    case 'html': {
      const { text, title } = readableHtml(decodeText(bytes, source, declaredHtmlCharset(bytes)));
      return { ...(title ? { title } : {}), parts: [{ text }] };
    }
    case 'csv':
      return extractCsv(decodeText(bytes, source), source, extension);
    case 'json':
      return extractJson(decodeText(bytes, source), source, extension);
  }
}

/**
 * Loads one file as documents: one for most files, one per page for a PDF,
 * one per record for CSV / JSON. Throws FerryError INPUT_INVALID (with
 * `details.reason`: unreadable, unsupported-type, empty, malformed, too-large)
 * when the file cannot give any text.
 */
export async function loadFile(path: string, options: LoadFileOptions = {}): Promise<LoadedDocument[]> {
  const source = sourceName(path, options.root);
  const type = sourceTypeOf(path, options.type);
  if (type === undefined) {
    const what = options.type !== undefined ? `type "${options.type}"` : extname(path) ? `"${extname(path)}" files` : 'files without an extension';
    throw loadError(source, 'unsupported-type', `${what} cannot be loaded`, `Supported: ${SUPPORTED_EXTENSIONS.map((e) => `.${e}`).join(', ')}; convert the file or exclude it with a glob.`);
  }
  let bytes: Buffer;
  let mtimeMs: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: info.isDirectory() ? 'EISDIR' : 'ENOTFILE' });
    if (info.size > MAX_BYTES) {
      throw loadError(source, 'too-large', `the file is ${Math.round(info.size / 2 ** 20)} MiB, over the ${MAX_BYTES / 2 ** 20} MiB limit`, 'Split the file into smaller ones before ingesting it.');
    }
    mtimeMs = info.mtimeMs;
    bytes = await readFile(path);
  } catch (error) {
    if (isFerryError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw loadError(source, 'unreadable', `cannot read the file (${code}: ${(error as Error).message})`, 'Check that the path is a regular file that exists and that this user may read it (a dangling link or a folder cannot be loaded).', error);
  }
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  const extracted = await extract(type, bytes, source, extensionOf(path));
  const title = extracted.title ?? basename(path, extname(path));
  const documents: LoadedDocument[] = [];
  for (const part of extracted.parts) {
    const text = tidy(part.text);
    if (text === '') continue;
    const metadata: SourceMetadata = {
      source,
      title: part.title ?? title,
      ...(part.page === undefined ? {} : { page: part.page }),
      ...(part.row === undefined ? {} : { row: part.row }),
      contentHash,
      mtimeMs,
      type,
    };
    documents.push({ text, metadata });
  }
  if (documents.length === 0) {
    const scanned = type === 'pdf' ? ' (a scanned PDF has images, not text)' : '';
    throw loadError(source, 'empty', `no text found in the file${scanned}`, type === 'pdf' ? 'Run OCR on the PDF first (e.g. ocrmypdf), then ingest the result.' : 'Add content to the file or exclude it from the ingest.');
  }
  return documents;
}
