import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { FerryError, type ImageInput } from '@ferry/core';
import { RawImage } from '@huggingface/transformers';

/** Decodes any of core's image inputs (bytes, pixels, a file, a URL) into transformers.js's RawImage. */
export async function toRawImage(input: ImageInput, field = 'images'): Promise<RawImage> {
  if (input instanceof Uint8Array) return decode(input, field, 'the image bytes');
  if ('path' in input) return decode(await readImageFile(input.path, field), field, input.path);
  if ('url' in input) return decode(await fetchImage(input.url, field), field, input.url);
  const { width, height, channels, data } = input;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || data.length !== width * height * channels) {
    throw new FerryError('INPUT_INVALID', `a raw image of ${width}x${height}x${channels} needs ${width * height * channels} bytes of data, got ${data.length}`, {
      field,
      hint: 'Give data as width * height * channels bytes, row by row, channels interleaved (RGB or RGBA or grey).',
    });
  }
  return new RawImage(Uint8ClampedArray.from(data), width, height, channels);
}

async function decode(bytes: Uint8Array, field: string, what: string): Promise<RawImage> {
  try {
    return await RawImage.fromBlob(new Blob([bytes]));
  } catch (error) {
    throw new FerryError('INPUT_INVALID', `${what} could not be decoded as an image: ${(error as Error).message}`, {
      field,
      hint: 'Give a PNG, JPEG, WebP, GIF or TIFF file, or raw pixels as { width, height, channels, data }.',
      cause: error,
    });
  }
}

async function readImageFile(path: string, field: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new FerryError('INPUT_INVALID', `image file ${path} cannot be read: ${(error as Error).message}`, {
      field,
      hint: 'Check the path (relative paths start from the working directory).',
      cause: error,
    });
  }
}

async function fetchImage(url: string, field: string): Promise<Uint8Array> {
  if (url.startsWith('file:')) return readImageFile(fileURLToPath(url), field);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new FerryError('INPUT_INVALID', `image ${url} could not be fetched: ${(error as Error).message}`, {
      field,
      hint: 'Check the URL and the network, or pass the image bytes or a file path instead.',
      cause: error,
    });
  }
  if (!response.ok) {
    throw new FerryError('INPUT_INVALID', `image ${url} could not be fetched: HTTP ${response.status}`, {
      field,
      hint: 'Check the URL, or pass the image bytes or a file path instead.',
    });
  }
  return new Uint8Array(await response.arrayBuffer());
}
