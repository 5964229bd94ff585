import { isFerryError } from '@ferry/core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BANNER_SIZES, renderBanner, type BannerSize, type Rect } from './banner.js';
import { resolveFonts } from './fonts.js';
import { renderTextBlock } from './text-block.js';

const fonts = resolveFonts();
const COLORS = ['#0b5cff', '#002a80', '#ffcc00'];
const TEXT = { headline: 'AuraSound Pro', subline: 'Noise cancelling for deep focus.', callToAction: 'Shop now' };

/** Standard deviation of luminance inside a rectangle: ~0 for a flat or blank area. */
async function spread(png: Buffer, rect: Rect): Promise<number> {
  const stats = await sharp(png).extract(rect).greyscale().stats();
  return stats.channels[0]?.stdev ?? 0;
}

describe('renderBanner', () => {
  it('renders each standard size with visible text in the text areas', async () => {
    for (const size of Object.keys(BANNER_SIZES) as BannerSize[]) {
      const { png, layout } = await renderBanner({ size, text: TEXT, brandColors: COLORS, fonts });
      const meta = await sharp(png).metadata();
      expect([meta.width, meta.height, meta.format]).toEqual([BANNER_SIZES[size].width, BANNER_SIZES[size].height, 'png']);
      for (const block of layout.blocks) expect(await spread(png, block.rect), `${size} ${block.role}`).toBeGreaterThan(20);
    }
  });

  it('wraps a long headline inside the margins: no text pixel lands outside them', async () => {
    const long = 'The quietest, lightest, longest-lasting noise cancelling headphones we have ever made, now with spatial audio and forty hours of battery for every commute';
    for (const size of ['square', 'landscape'] as BannerSize[]) {
      const short = await renderBanner({ size, text: TEXT, brandColors: COLORS, fonts });
      const wrapped = await renderBanner({ size, text: { ...TEXT, headline: long }, brandColors: COLORS, fonts });
      const headline = wrapped.layout.blocks.find((b) => b.role === 'headline')!;
      expect(headline.lines).toBeGreaterThan(2);
      const { width, height, margin: m } = wrapped.layout;
      for (const { rect } of wrapped.layout.blocks) {
        expect(rect.left).toBeGreaterThanOrEqual(m);
        expect(rect.top).toBeGreaterThanOrEqual(m);
        expect(rect.left + rect.width).toBeLessThanOrEqual(width - m);
        expect(rect.top + rect.height).toBeLessThanOrEqual(height - m);
      }
      // Same background and colours, different text: every changed pixel must be inside the margins.
      const [a, b] = await Promise.all([short.png, wrapped.png].map((p) => sharp(p).raw().toBuffer()));
      let outside = 0;
      let inside = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 3;
          const changed = a![i] !== b![i] || a![i + 1] !== b![i + 1] || a![i + 2] !== b![i + 2];
          if (!changed) continue;
          if (x < m || y < m || x >= width - m || y >= height - m) outside++;
          else inside++;
        }
      }
      expect(inside).toBeGreaterThan(1000);
      expect(outside, size).toBe(0);
    }
  });

  it('renders Chinese with the CJK font: glyphs match a reference render and differ from each other (no tofu)', async () => {
    expect(fonts.cjk, 'a CJK font must be installed (apt-get install fonts-wqy-microhei)').toBeDefined();
    const face = fonts.cjk!;
    const glyph = async (text: string) =>
      (await renderTextBlock({ text, face, color: '#000000', maxWidth: 200, maxHeight: 200, maxSize: 64, minSize: 64 })).png;
    const reference = await sharp({ text: { text: '<span foreground="#000000">品</span>', font: `${face.family} 64`, fontfile: face.file, width: 200, wrap: 'word-char', rgba: true, dpi: 72 } })
      .png()
      .toBuffer();
    const pin = await glyph('品');
    expect(await sharp(pin).raw().toBuffer()).toEqual(await sharp(reference).raw().toBuffer());
    const xin = await sharp(await glyph('新')).raw().toBuffer();
    expect(xin.equals(await sharp(pin).raw().toBuffer())).toBe(false);

    const { png, layout } = await renderBanner({ size: 'square', text: { headline: '新品上市：降噪耳机', subline: '单次充电续航40小时', callToAction: '立即购买' }, brandColors: COLORS, fonts });
    for (const block of layout.blocks) expect(await spread(png, block.rect)).toBeGreaterThan(20);
  });

  it('refuses CJK text when no CJK font is available instead of drawing tofu', async () => {
    // No folders searched: only the Latin face given, as on a machine without CJK fonts.
    const latinOnly = resolveFonts({ latin: fonts.latin, searchDirs: [] });
    expect(latinOnly.cjk).toBeUndefined();
    const attempt = renderBanner({ size: 'square', text: { ...TEXT, headline: '新品上市' }, brandColors: COLORS, fonts: latinOnly });
    await expect(attempt).rejects.toThrow(/no CJK font is installed/);
    await attempt.catch((error: unknown) => {
      expect(isFerryError(error, 'CONFIG_INVALID')).toBe(true);
      expect((error as { hint: string }).hint).toMatch(/fonts-wqy-microhei/);
    });
  });
});
