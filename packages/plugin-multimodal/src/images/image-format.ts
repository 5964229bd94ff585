/** Formats loadImage decodes. SVG is left out on purpose: it can reference external files and fonts. */
export const SUPPORTED_IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif'] as const;
export type SupportedImageFormat = (typeof SUPPORTED_IMAGE_FORMATS)[number];

interface Signature {
  format: string;
  matches(b: Uint8Array): boolean;
}

const ascii = (b: Uint8Array, at: number, text: string): boolean => [...text].every((c, i) => b[at + i] === c.charCodeAt(0));

// Checked in order; the first match names the format.
const SIGNATURES: Signature[] = [
  { format: 'jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { format: 'png', matches: (b) => b[0] === 0x89 && ascii(b, 1, 'PNG') },
  { format: 'gif', matches: (b) => ascii(b, 0, 'GIF8') },
  { format: 'webp', matches: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP') },
  { format: 'tiff', matches: (b) => ascii(b, 0, 'II*\0') || ascii(b, 0, 'MM\0*') },
  { format: 'avif', matches: (b) => ascii(b, 4, 'ftyp') && (ascii(b, 8, 'avif') || ascii(b, 8, 'avis')) },
  { format: 'heic', matches: (b) => ascii(b, 4, 'ftyp') && (ascii(b, 8, 'heic') || ascii(b, 8, 'heix') || ascii(b, 8, 'mif1')) },
  { format: 'bmp', matches: (b) => ascii(b, 0, 'BM') },
  { format: 'ico', matches: (b) => b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0 },
  { format: 'pdf', matches: (b) => ascii(b, 0, '%PDF') },
  { format: 'psd', matches: (b) => ascii(b, 0, '8BPS') },
  { format: 'svg', matches: (b) => /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(new TextDecoder().decode(b.subarray(0, 512))) },
];

/** Names the format from the first bytes, or undefined when nothing matches. */
export function sniffImageFormat(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find((s) => s.matches(bytes))?.format;
}

export function isSupportedImageFormat(format: string | undefined): format is SupportedImageFormat {
  return (SUPPORTED_IMAGE_FORMATS as readonly string[]).includes(format ?? '');
}
