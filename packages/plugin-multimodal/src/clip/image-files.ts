import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { FerryError } from '@ferry/core';
import sharp from 'sharp';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif']);

/** Image files under `dir`, as absolute paths, sorted so ids and progress are stable across runs. */
export async function listImageFiles(dir: string, recursive: boolean): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true, recursive });
    return entries
      .filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
      .map((e) => join(e.parentPath, e.name))
      .sort();
  } catch (cause) {
    throw new FerryError('INPUT_INVALID', `cannot list images in ${dir}`, { field: 'folder', hint: 'Give an existing folder of images.', cause });
  }
}

/** `/`-separated path of `file` relative to `root`: the record id, the same on every platform. */
export function relativeId(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

export interface ImageFile {
  data: Uint8Array;
  /** sha256 hex of the file's bytes: what incremental re-adding compares. */
  contentHash: string;
  bytes: number;
  mtimeMs: number;
  width: number;
  height: number;
  format: string;
}

/**
 * Reads a file once for hashing and embedding; the header (sharp metadata)
 * must name an image within the limits, checked before anything decodes it.
 */
export async function readImageFile(path: string, limits: { maxBytes: number; maxPixels: number }): Promise<ImageFile> {
  const info = await stat(path);
  if (info.size > limits.maxBytes) throw new Error(`${info.size} bytes, over the limit of ${limits.maxBytes}`);
  const bytes = await readFile(path);
  const meta = await sharp(bytes).metadata();
  if (!meta.width || !meta.height || !meta.format) throw new Error('no image size or format in the header');
  if (meta.width * meta.height > limits.maxPixels) throw new Error(`${meta.width}x${meta.height} pixels, over the limit of ${limits.maxPixels}`);
  return {
    data: bytes,
    contentHash: createHash('sha256').update(bytes).digest('hex'),
    bytes: info.size,
    mtimeMs: Math.round(info.mtimeMs),
    width: meta.width,
    height: meta.height,
    format: meta.format,
  };
}
