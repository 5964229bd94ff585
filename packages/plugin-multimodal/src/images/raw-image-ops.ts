import type { RawImage } from '@ferry/core';
import { FerryError } from '@ferry/core';

/** A decoded image whose channel count may be 2 (grey + alpha) on the way in. */
export interface PixelBuffer {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array | Uint8ClampedArray;
}

/**
 * Converts between 1 (grey), 2 (grey+alpha), 3 (RGB) and 4 (RGBA) channels.
 * Alpha is dropped, not composited, and grey from colour uses transformers.js's
 * weights, so CLIP preprocessing sees what transformers.js and PIL see.
 */
export function convertChannels(image: PixelBuffer, channels: 1 | 3 | 4): RawImage {
  const { width, height, data } = image;
  const from = image.channels;
  if (from === channels) return { width, height, channels, data };
  const n = width * height;
  const out = new Uint8Array(n * channels);
  for (let p = 0; p < n; p++) {
    const i = p * from;
    const grey = from <= 2;
    const r = data[i] ?? 0;
    const g = grey ? r : (data[i + 1] ?? 0);
    const b = grey ? r : (data[i + 2] ?? 0);
    const a = from === 2 ? (data[i + 1] ?? 255) : from === 4 ? (data[i + 3] ?? 255) : 255;
    const o = p * channels;
    if (channels === 1) {
      out[o] = grey ? r : Math.round(0.2989 * r + 0.587 * g + 0.114 * b);
    } else {
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      if (channels === 4) out[o + 3] = a;
    }
  }
  return { width, height, channels, data: out };
}

/** Checks a caller-built RawImage before any pixel is read. */
export function checkRawImage(image: RawImage, field: string): void {
  const ok =
    Number.isInteger(image.width) &&
    Number.isInteger(image.height) &&
    image.width > 0 &&
    image.height > 0 &&
    [1, 3, 4].includes(image.channels) &&
    image.data.length === image.width * image.height * image.channels;
  if (!ok) {
    throw new FerryError(
      'INPUT_INVALID',
      `raw image is inconsistent: ${image.width}x${image.height}x${image.channels} needs ${image.width * image.height * image.channels} bytes, got ${image.data.length}`,
      { field, hint: 'Give positive integer width and height, channels 1, 3 or 4, and data of width*height*channels bytes (row-major, interleaved).' },
    );
  }
}
