import type { RawImage } from '@ferry/core';
import sharp, { type OverlayOptions } from 'sharp';
import { paletteFrom } from './colors.js';
import { faceFor, type BannerFonts } from './fonts.js';
import { renderTextBlock, type TextBlock } from './text-block.js';

export const BANNER_SIZES = {
  square: { width: 1080, height: 1080 },
  landscape: { width: 1200, height: 628 },
  story: { width: 1080, height: 1920 },
} as const;

export type BannerSize = keyof typeof BANNER_SIZES;

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface BannerText {
  headline: string;
  subline: string;
  callToAction: string;
}

export interface BannerRequest {
  size: BannerSize;
  text: BannerText;
  brandColors: string[];
  fonts: BannerFonts;
  /** Product photo (or a generated image), placed whole inside its area. */
  photo?: RawImage;
}

export interface BannerLayout {
  width: number;
  height: number;
  margin: number;
  photo: Rect;
  /** Where each text element landed (the rendered extent), and at which size. */
  blocks: Array<{ role: 'headline' | 'subline' | 'cta'; rect: Rect; fontSize: number; lines: number; truncated: boolean }>;
}

interface Areas {
  photo: Rect;
  text: Rect;
  align: 'left' | 'centre';
  /** Share of the text area's height for headline, subline and button. */
  shares: [number, number, number];
}

function areas(size: BannerSize, width: number, height: number, m: number): Areas {
  if (size === 'landscape') {
    const split = Math.round(width * 0.56);
    return {
      photo: { left: split + m / 2, top: m, width: width - split - m * 1.5, height: height - 2 * m },
      text: { left: m, top: m, width: split - m, height: height - 2 * m },
      align: 'left',
      shares: [0.5, 0.27, 0.23],
    };
  }
  const photoTop = size === 'story' ? Math.round(height * 0.1) : m;
  const photoHeight = Math.round(height * (size === 'story' ? 0.42 : 0.44));
  const textTop = photoTop + photoHeight + m;
  return {
    photo: { left: m, top: photoTop, width: width - 2 * m, height: photoHeight },
    text: { left: m, top: textTop, width: width - 2 * m, height: height - textTop - m },
    align: 'centre',
    shares: size === 'story' ? [0.42, 0.3, 0.18] : [0.48, 0.28, 0.24],
  };
}

const round = (r: Rect): Rect => ({ left: Math.round(r.left), top: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height) });

function background(width: number, height: number, p: ReturnType<typeof paletteFrom>, photo: Rect, hasPhoto: boolean): string {
  const r = Math.min(photo.width, photo.height) / 2.4;
  const placeholder = hasPhoto
    ? ''
    : `<circle cx="${photo.left + photo.width / 2}" cy="${photo.top + photo.height / 2}" r="${r}" fill="${p.accent}" fill-opacity="0.85"/>
       <circle cx="${photo.left + photo.width / 2}" cy="${photo.top + photo.height / 2}" r="${r * 0.6}" fill="${p.primary}" fill-opacity="0.6"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${p.primary}"/><stop offset="1" stop-color="${p.secondary}"/></linearGradient></defs>
  <rect width="${width}" height="${height}" fill="url(#bg)"/>
  <circle cx="${width}" cy="0" r="${Math.min(width, height) * 0.35}" fill="${p.accent}" fill-opacity="0.12"/>
  <circle cx="0" cy="${height}" r="${Math.min(width, height) * 0.28}" fill="#ffffff" fill-opacity="0.06"/>
  ${placeholder}
</svg>`;
}

function button(width: number, height: number, fill: string): Buffer {
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" rx="${height / 2}" fill="${fill}"/></svg>`);
}

/**
 * A banner: brand-gradient background (SVG), the photo fitted into its area,
 * and the headline, subline and call-to-action button laid out below or
 * beside it, each wrapped and sized to fit its share of the text area.
 */
export async function renderBanner(request: BannerRequest): Promise<{ png: Buffer; layout: BannerLayout }> {
  const { width, height } = BANNER_SIZES[request.size];
  const m = Math.round(Math.min(width, height) * 0.06);
  const a = areas(request.size, width, height, m);
  const p = paletteFrom(request.brandColors);
  const layers: OverlayOptions[] = [];
  const photoRect = round(a.photo);

  if (request.photo) {
    const { data, width: w, height: h, channels } = request.photo;
    const fitted = await sharp(data, { raw: { width: w, height: h, channels } })
      .resize({ width: photoRect.width, height: photoRect.height, fit: 'inside' })
      .png()
      .toBuffer({ resolveWithObject: true });
    layers.push({
      input: fitted.data,
      left: photoRect.left + Math.floor((photoRect.width - fitted.info.width) / 2),
      top: photoRect.top + Math.floor((photoRect.height - fitted.info.height) / 2),
    });
  }

  const t = round(a.text);
  const gap = Math.round(m * 0.4);
  const usable = t.height - 2 * gap;
  const [hs, ss, cs] = a.shares.map((s) => Math.floor(usable * s)) as [number, number, number];
  const base = Math.min(width, height);
  const block = (text: string, maxHeight: number, maxSize: number, minSize: number, bold: boolean, color: string, maxWidth = t.width): Promise<TextBlock> =>
    renderTextBlock({ text, face: faceFor(text, request.fonts), color, maxWidth, maxHeight, maxSize, minSize, bold, align: a.align });

  const headline = await block(request.text.headline, hs, Math.round(base * 0.11), Math.round(base * 0.035), true, p.text);
  // Sub-elements stay clearly smaller than the headline, whatever room they have.
  const below = (share: number, cap: number): number => Math.max(Math.round(base * 0.02), Math.min(Math.round(base * cap), Math.round(headline.fontSize * share)));
  const subline = await block(request.text.subline, ss, below(0.62, 0.05), Math.round(base * 0.02), false, p.text);
  const padX = Math.round(cs * 0.45);
  const padY = Math.round(cs * 0.18);
  const cta = await block(request.text.callToAction, cs - 2 * padY, below(0.6, 0.045), Math.round(base * 0.02), true, p.ctaText, t.width - 2 * padX);

  const blocks: BannerLayout['blocks'] = [];
  const xFor = (w: number): number => (a.align === 'centre' ? t.left + Math.floor((t.width - w) / 2) : t.left);
  const buttonWidth = cta.width + 2 * padX;
  const buttonHeight = cta.height + 2 * padY;
  // The stack is centred vertically in the text area.
  let y = t.top + Math.max(0, Math.floor((t.height - (headline.height + subline.height + buttonHeight + 2 * gap)) / 2));
  for (const [role, b] of [['headline', headline], ['subline', subline]] as const) {
    const rect = { left: xFor(b.width), top: y, width: b.width, height: b.height };
    layers.push({ input: b.png, left: rect.left, top: rect.top });
    blocks.push({ role, rect, fontSize: b.fontSize, lines: b.lines, truncated: b.truncated });
    y += b.height + gap;
  }
  const buttonRect = { left: xFor(buttonWidth), top: y, width: buttonWidth, height: buttonHeight };
  layers.push({ input: button(buttonWidth, buttonHeight, p.accent), left: buttonRect.left, top: buttonRect.top });
  layers.push({ input: cta.png, left: buttonRect.left + padX, top: buttonRect.top + padY });
  blocks.push({ role: 'cta', rect: buttonRect, fontSize: cta.fontSize, lines: cta.lines, truncated: cta.truncated });

  const composed = await sharp(Buffer.from(background(width, height, p, photoRect, request.photo !== undefined)))
    .composite(layers)
    .raw()
    .toBuffer({ resolveWithObject: true });
  // The background is opaque, so the alpha channel carries nothing: drop it for a smaller RGB PNG.
  const png = await sharp(composed.data, { raw: { width, height, channels: composed.info.channels } })
    .removeAlpha()
    .png()
    .toBuffer();
  return { png, layout: { width, height, margin: m, photo: photoRect, blocks } };
}
