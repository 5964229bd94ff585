export type Rgb = [number, number, number];

export function parseHex(hex: string): Rgb {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as Rgb;
}

export function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG relative luminance. */
export function luminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Mixes towards black (amount < 0) or white (amount > 0). */
export function shade(hex: string, amount: number): string {
  const target = amount < 0 ? 0 : 255;
  const t = Math.abs(amount);
  return toHex(parseHex(hex).map((v) => v + (target - v) * t) as Rgb);
}

/** White or near-black, whichever reads better on the background. */
export function readableOn(background: string): string {
  return contrastRatio('#ffffff', background) >= contrastRatio('#111111', background) ? '#ffffff' : '#111111';
}

export interface Palette {
  primary: string;
  secondary: string;
  accent: string;
  text: string;
  ctaText: string;
}

/** Brand colours to banner roles; missing ones are derived from the primary. */
export function paletteFrom(colors: string[]): Palette {
  const primary = colors[0] ?? '#1a73e8';
  const secondary = colors[1] ?? shade(primary, -0.45);
  const accent = colors[2] ?? (luminance(primary) > 0.4 ? shade(primary, -0.6) : shade(primary, 0.75));
  return { primary, secondary, accent, text: readableOn(primary), ctaText: readableOn(accent) };
}
