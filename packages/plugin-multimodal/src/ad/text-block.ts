import sharp from 'sharp';
import type { FontFace } from './fonts.js';

export interface TextBlockRequest {
  text: string;
  face: FontFace;
  color: string;
  /** The block wraps to this width and must fit this height. */
  maxWidth: number;
  maxHeight: number;
  maxSize: number;
  minSize: number;
  bold?: boolean;
  align?: 'left' | 'centre';
}

export interface TextBlock {
  png: Buffer;
  width: number;
  height: number;
  fontSize: number;
  lines: number;
  /** True when even minSize did not fit and the text was shortened with an ellipsis. */
  truncated: boolean;
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Renders text with Pango (through sharp) in the given font file, wrapped
 * at word boundaries (and between CJK characters) to maxWidth. Pango lays
 * out with the font's real advance widths, so the rendered size is the
 * measurement. Sizes at dpi 72 are pixels.
 */
async function render(request: TextBlockRequest, text: string, size: number): Promise<{ png: Buffer; width: number; height: number }> {
  const weight = request.bold ? ' Bold' : '';
  const { data, info } = await sharp({
    text: {
      text: `<span foreground="${request.color}">${escapeMarkup(text)}</span>`,
      font: `${request.face.family}${weight} ${size}`,
      fontfile: request.face.file,
      width: request.maxWidth,
      wrap: 'word-char',
      align: request.align === 'centre' ? 'centre' : 'left',
      rgba: true,
      dpi: 72,
    },
  })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height };
}

const fits = (r: { width: number; height: number }, q: TextBlockRequest): boolean => r.width <= q.maxWidth && r.height <= q.maxHeight;

/** The largest font size in [minSize, maxSize] at which the wrapped text fits; shortens the text when none does. */
export async function renderTextBlock(request: TextBlockRequest): Promise<TextBlock> {
  let low = request.minSize;
  let high = request.maxSize;
  let best: { png: Buffer; width: number; height: number; size: number } | undefined;
  while (low <= high) {
    const size = Math.floor((low + high) / 2);
    const r = await render(request, request.text, size);
    if (fits(r, request)) {
      best = { ...r, size };
      low = size + 1;
    } else {
      high = size - 1;
    }
  }
  let text = request.text;
  let truncated = false;
  while (!best) {
    truncated = true;
    const chars = [...text];
    if (chars.length <= 2) throw new Error(`cannot fit any text in ${request.maxWidth}x${request.maxHeight}`);
    text = `${chars.slice(0, Math.floor(chars.length * 0.85)).join('').trimEnd()}\u2026`;
    const r = await render(request, text, request.minSize);
    if (fits(r, request)) best = { ...r, size: request.minSize };
  }
  const line = await render({ ...request, maxWidth: 100_000 }, 'Hg\u54c1', best.size);
  return { png: best.png, width: best.width, height: best.height, fontSize: best.size, lines: Math.max(1, Math.round(best.height / line.height)), truncated };
}
