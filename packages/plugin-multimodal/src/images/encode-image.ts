import type { ImageInput } from '@ferry/core';
import sharp from 'sharp';
import { loadImage, type LoadImageOptions } from './load-image.js';

export interface EncodeImageOptions extends LoadImageOptions {
  /** Longest side after downscaling (never upscales). */
  maxSide?: number;
  format?: 'png' | 'jpeg';
}

/** Loads any ImageInput and re-encodes it (downscaled) for sending to a model: bytes plus MIME type. */
export async function encodeImage(input: ImageInput, options: EncodeImageOptions = {}): Promise<{ data: Buffer; mimeType: string; width: number; height: number }> {
  const { maxSide = 1024, format = 'png', ...load } = options;
  const image = await loadImage(input, load);
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
  if (Math.max(image.width, image.height) > maxSide) pipeline = pipeline.resize({ width: maxSide, height: maxSide, fit: 'inside' });
  const { data, info } = await (format === 'png' ? pipeline.png() : pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 90 })).toBuffer({ resolveWithObject: true });
  return { data, mimeType: `image/${format}`, width: info.width, height: info.height };
}
