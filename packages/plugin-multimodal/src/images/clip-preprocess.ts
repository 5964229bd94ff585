import { FerryError, type ImageInput, type RawImage } from '@ferry/core';
import sharp, { type Sharp } from 'sharp';
import { loadImage, type LoadImageOptions } from './load-image.js';
import { parsePreprocessorConfig, type PreprocessorConfig, type PreprocessorConfigInput } from './preprocessor-config.js';
import { convertChannels, type PixelBuffer } from './raw-image-ops.js';

export interface PreprocessedImage {
  /** Channel-first (C, H, W) float32 pixels. */
  data: Float32Array;
  /** [channels, height, width]. */
  dims: [number, number, number];
  /** Size before preprocessing, [height, width]. */
  originalSize: [number, number];
}

const INTERPOLATORS = { 0: 'nearest', 2: 'bilinear', 3: 'bicubic' } as const;

function toSharp(image: PixelBuffer): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels as 1 | 2 | 3 | 4 } });
}

/** Decodes a sharp pipeline back to pixels, keeping the channel count (as transformers.js does). */
async function toPixels(pipeline: Sharp, channels: number): Promise<PixelBuffer> {
  const { data, info } = await pipeline.rotate().raw().toBuffer({ resolveWithObject: true });
  const out: PixelBuffer = { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  return out.channels === channels ? out : convertChannels(out, channels as 1 | 3 | 4);
}

/** Target size: shortest edge to `size`, aspect kept, capped by longest_edge, floored after rounding to 2 places. */
function resizeTarget(width: number, height: number, config: PreprocessorConfig): [number, number] | undefined {
  const size = config.size;
  if (size === undefined) return undefined;
  let shortest: number | undefined;
  let longest: number | undefined;
  if (typeof size === 'number') {
    shortest = size;
    longest = typeof config['max_size'] === 'number' ? config['max_size'] : size;
  } else if ('shortest_edge' in size) {
    shortest = size.shortest_edge as number;
    longest = size.longest_edge as number | undefined;
  } else {
    return [size.width as number, size.height as number];
  }
  const up = shortest === undefined ? 1 : Math.max(shortest / width, shortest / height);
  const w = width * up;
  const h = height * up;
  const down = longest === undefined ? 1 : Math.min(longest / w, longest / h);
  return [Math.floor(Number((w * down).toFixed(2))), Math.floor(Number((h * down).toFixed(2)))];
}

async function resize(image: PixelBuffer, width: number, height: number, resample: 0 | 1 | 2 | 3): Promise<PixelBuffer> {
  if (image.width === width && image.height === height) return image;
  const pipeline =
    resample === 1
      ? toSharp(image).resize({ width, height, fit: 'fill', kernel: 'lanczos3' })
      : // An affine scale, not resize(): this is what Pillow's resample does and what transformers.js calls.
        toSharp(image).affine([width / image.width, 0, 0, height / image.height], { interpolator: INTERPOLATORS[resample] });
  return toPixels(pipeline, image.channels);
}

/** Centre crop; pads with black where the crop is larger than the image. */
async function centerCrop(image: PixelBuffer, cropWidth: number, cropHeight: number): Promise<PixelBuffer> {
  if (image.width === cropWidth && image.height === cropHeight) return image;
  const dx = (image.width - cropWidth) / 2;
  const dy = (image.height - cropHeight) / 2;
  let pipeline = toSharp(image);
  if (dx >= 0 && dy >= 0) {
    pipeline = pipeline.extract({ left: Math.floor(dx), top: Math.floor(dy), width: cropWidth, height: cropHeight });
  } else if (dx <= 0 && dy <= 0) {
    const top = Math.floor(-dy);
    const left = Math.floor(-dx);
    pipeline = pipeline.extend({ top, left, right: cropWidth - image.width - left, bottom: cropHeight - image.height - top });
  } else {
    const yPad: [number, number] = [0, 0];
    let yExtract = 0;
    if (dy < 0) {
      yPad[0] = Math.floor(-dy);
      yPad[1] = cropHeight - image.height - yPad[0];
    } else {
      yExtract = Math.floor(dy);
    }
    const xPad: [number, number] = [0, 0];
    let xExtract = 0;
    if (dx < 0) {
      xPad[0] = Math.floor(-dx);
      xPad[1] = cropWidth - image.width - xPad[0];
    } else {
      xExtract = Math.floor(dx);
    }
    // Two passes: within one sharp pipeline extract runs before extend whatever the call order.
    const padded = await toPixels(pipeline.extend({ top: yPad[0], bottom: yPad[1], left: xPad[0], right: xPad[1] }), image.channels);
    pipeline = toSharp(padded).extract({ left: xExtract, top: yExtract, width: cropWidth, height: cropHeight });
  }
  return toPixels(pipeline, image.channels);
}

function perChannel(value: number | number[] | undefined, channels: number, name: string, fallback: number): number[] {
  if (value === undefined) return new Array<number>(channels).fill(fallback);
  const list = Array.isArray(value) ? value : new Array<number>(channels).fill(value);
  if (list.length !== channels) {
    throw new FerryError('INPUT_INVALID', `${name} has ${list.length} values but the image has ${channels} channels`, {
      field: name,
      hint: 'Give one value per channel (3 for RGB), or keep do_convert_rgb true.',
    });
  }
  return list;
}

/**
 * CLIP image preprocessing, step for step what transformers.js's
 * CLIPImageProcessor does with the same preprocessor_config.json: RGB
 * conversion (alpha dropped, grey replicated), shortest-edge resize with
 * the configured resample, centre crop, rescale, normalise, HWC -> CHW.
 */
export async function clipPreprocess(
  image: ImageInput,
  preprocessorConfig: PreprocessorConfigInput | PreprocessorConfig,
  loadOptions: LoadImageOptions = {},
): Promise<PreprocessedImage> {
  const config = parsePreprocessorConfig(preprocessorConfig);
  const loaded: RawImage = await loadImage(image, loadOptions);
  const originalSize: [number, number] = [loaded.height, loaded.width];
  let pixels: PixelBuffer = config.do_convert_rgb ? convertChannels(loaded, 3) : loaded;
  const target = resizeTarget(pixels.width, pixels.height, config);
  if ((config.do_resize ?? config.size !== undefined) && target) pixels = await resize(pixels, target[0], target[1], config.resample);
  if (config.do_center_crop) {
    const crop = config.crop_size;
    if (crop === undefined) {
      throw new FerryError('INPUT_INVALID', 'do_center_crop is true but crop_size is missing', { field: 'crop_size', hint: 'Add crop_size to the preprocessor config.' });
    }
    const [cw, ch] = typeof crop === 'number' ? [crop, crop] : [crop.width as number, crop.height as number];
    pixels = await centerCrop(pixels, cw, ch);
  }
  const { width, height, channels } = pixels;
  const hwc = Float32Array.from(pixels.data);
  if (config.do_rescale) for (let i = 0; i < hwc.length; i++) hwc[i] = config.rescale_factor * (hwc[i] ?? 0);
  if (config.do_normalize) {
    const mean = perChannel(config.image_mean, channels, 'image_mean', 0);
    const std = perChannel(config.image_std, channels, 'image_std', 1);
    for (let i = 0; i < hwc.length; i += channels) {
      for (let c = 0; c < channels; c++) hwc[i + c] = ((hwc[i + c] ?? 0) - (mean[c] ?? 0)) / (std[c] ?? 1);
    }
  }
  const chw = new Float32Array(hwc.length);
  const plane = width * height;
  for (let p = 0; p < plane; p++) for (let c = 0; c < channels; c++) chw[c * plane + p] = hwc[p * channels + c] ?? 0;
  return { data: chw, dims: [channels, height, width], originalSize };
}
