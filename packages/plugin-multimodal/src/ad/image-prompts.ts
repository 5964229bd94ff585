import type { AdTone, ImageStyle, Product } from './product-schema.js';

const STYLE_DESCRIPTIONS: Record<ImageStyle, string> = {
  photorealistic: 'A photorealistic studio product photograph',
  minimalist: 'A minimalist composition with generous negative space',
  'flat-illustration': 'A flat vector illustration with bold shapes',
  '3d-render': 'A clean 3D render with soft global illumination',
  lifestyle: 'A natural lifestyle photograph of the product in use',
};

const TONE_MOODS: Record<AdTone, string> = {
  professional: 'clean, confident and trustworthy mood',
  playful: 'bright, cheerful and energetic mood',
  luxury: 'elegant, premium mood with dramatic lighting',
  urgent: 'bold, high-contrast, dynamic mood',
  friendly: 'warm, welcoming and approachable mood',
};

export interface ImagePrompt {
  style: ImageStyle;
  prompt: string;
}

/** One text-to-image prompt per style. Text is left out of the image: banners add it, correctly spelled. */
export function imagePrompts(product: Product): ImagePrompt[] {
  const tone = product.tones[0] ?? 'professional';
  return product.styles.map((style) => ({
    style,
    prompt: [
      `${STYLE_DESCRIPTIONS[style]} of ${product.name}`,
      `highlighting ${product.features.slice(0, 2).join(' and ')}`,
      `appealing to ${product.audience}`,
      `colour palette ${product.brandColors.join(', ')}`,
      TONE_MOODS[tone],
      'no text, no logos, no watermark',
    ].join(', '),
  }));
}
