import { readFile, stat } from 'node:fs/promises';
import { FerryError, fromZodError, type ImageInput, type RawImage } from '@ferry/core';
import sharp from 'sharp';
import { z } from 'zod';
import { fetchImageUrl } from './fetch-image-url.js';
import { isSupportedImageFormat, sniffImageFormat, SUPPORTED_IMAGE_FORMATS } from './image-format.js';
import { checkRawImage, convertChannels } from './raw-image-ops.js';

export const loadImageOptionsSchema = z.strictObject({
  /** Images with more pixels are refused before decoding (decompression bombs, 50-MP photos). */
  maxPixels: z.number().int().positive().default(40_000_000),
  /** Largest encoded file or download, in bytes. */
  maxBytes: z.number().int().positive().default(25 * 1024 * 1024),
  timeoutMs: z.number().int().positive().default(15_000),
  allowPrivateNetwork: z.boolean().default(false),
  maxRedirects: z.number().int().min(0).max(10).default(3),
});

export type LoadImageOptions = z.input<typeof loadImageOptionsSchema> & { signal?: AbortSignal };

/** A decoded image, with the encoded format it came from (`raw` for RawImage input). */
export interface LoadedImage extends RawImage {
  format: string;
}

const FIELD = 'image';

function describeInput(input: ImageInput): string {
  if ('path' in input) return input.path;
  if ('url' in input) return input.url;
  return 'the image bytes';
}

function isRawImage(input: ImageInput): input is RawImage {
  return typeof (input as RawImage).width === 'number' && 'data' in input;
}

async function readBytes(input: Uint8Array | { path: string } | { url: string }, o: z.output<typeof loadImageOptionsSchema>, signal?: AbortSignal): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return input;
  if ('url' in input) return fetchImageUrl(input.url, { ...o, ...(signal ? { signal } : {}) });
  let size: number;
  try {
    size = (await stat(input.path)).size;
  } catch (cause) {
    throw new FerryError('INPUT_INVALID', `cannot read image file ${input.path}: ${(cause as Error).message}`, {
      field: `${FIELD}.path`,
      hint: 'Check the path; relative paths are resolved from the current directory.',
      cause,
    });
  }
  if (size > o.maxBytes) {
    throw new FerryError('INPUT_INVALID', `image file ${input.path} is ${size} bytes, over the limit of ${o.maxBytes}`, {
      field: `${FIELD}.path`,
      hint: 'Raise maxBytes if you expect files this large, or use a smaller image.',
      details: { reason: 'too-many-bytes', size, maxBytes: o.maxBytes },
    });
  }
  return new Uint8Array(await readFile(input.path));
}

/**
 * Loads an image from encoded bytes, a file, a URL or a RawImage and decodes
 * it with sharp the way transformers.js does (EXIF orientation applied,
 * channels as stored; grey+alpha becomes RGBA). Every failure is a FerryError
 * naming what was wrong: unsupported format, corrupt data, too many pixels,
 * a private-network URL, an oversized download.
 */
export async function loadImage(input: ImageInput, options: LoadImageOptions = {}): Promise<LoadedImage> {
  const { signal, ...rest } = options;
  const parsed = loadImageOptionsSchema.safeParse(rest);
  if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: 'loadImage options', hint: 'Fix the loadImage options.' });
  const o = parsed.data;
  if (isRawImage(input)) {
    checkRawImage(input, FIELD);
    checkPixels(input.width, input.height, o.maxPixels, 'the raw image');
    return { ...input, format: 'raw' };
  }
  const source = describeInput(input);
  const bytes = await readBytes(input, o, signal);
  const format = sniffImageFormat(bytes);
  if (!isSupportedImageFormat(format)) {
    throw new FerryError('INPUT_INVALID', `${source} is not a supported image (${format ? `detected ${format}` : 'unrecognised data'})`, {
      field: FIELD,
      hint: `Convert it to one of ${SUPPORTED_IMAGE_FORMATS.join(', ')}.`,
      details: { reason: 'unsupported-format', format: format ?? 'unknown' },
    });
  }
  let width: number;
  let height: number;
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    width = meta.autoOrient.width;
    height = meta.autoOrient.height;
  } catch (cause) {
    throw corruptError(source, format, cause);
  }
  checkPixels(width, height, o.maxPixels, source);
  try {
    const decoder = sharp(bytes, { limitInputPixels: o.maxPixels, failOn: 'error' });
    const storedChannels = (await decoder.metadata()).channels;
    const { data, info } = await decoder.rotate().raw().toBuffer({ resolveWithObject: true });
    const decoded = { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
    // transformers.js keeps the stored channel count when libvips changes it (palette, grey).
    const target = storedChannels === 1 || storedChannels === 3 || storedChannels === 4 ? storedChannels : decoded.channels === 2 ? 4 : 3;
    return { ...convertChannels(decoded, target), format };
  } catch (cause) {
    throw corruptError(source, format, cause);
  }
}

function checkPixels(width: number, height: number, maxPixels: number, source: string): void {
  if (width * height > maxPixels) {
    throw new FerryError(
      'INPUT_INVALID',
      `${source} is ${width}x${height} = ${((width * height) / 1e6).toFixed(1)} megapixels, over the limit of ${(maxPixels / 1e6).toFixed(1)}`,
      {
        field: FIELD,
        hint: `Downscale the image first, or raise maxPixels (currently ${maxPixels}) if you trust its source.`,
        details: { reason: 'too-many-pixels', width, height, maxPixels },
      },
    );
  }
}

function corruptError(source: string, format: string, cause: unknown): FerryError {
  return new FerryError('INPUT_INVALID', `${source} looks like ${format} but cannot be decoded: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`, {
    field: FIELD,
    hint: 'The file is truncated or corrupt; re-export or re-download it.',
    details: { reason: 'corrupt-image', format },
    cause,
  });
}
