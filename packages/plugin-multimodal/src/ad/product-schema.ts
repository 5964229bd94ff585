import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { FerryError, fromZodError } from '@ferry/core';
import { z } from 'zod';

export const AD_TONES = ['professional', 'playful', 'luxury', 'urgent', 'friendly'] as const;
export type AdTone = (typeof AD_TONES)[number];
export const AD_LANGUAGES = ['en', 'zh'] as const;
export type AdLanguage = (typeof AD_LANGUAGES)[number];
export const IMAGE_STYLES = ['photorealistic', 'minimalist', 'flat-illustration', '3d-render', 'lifestyle'] as const;
export type ImageStyle = (typeof IMAGE_STYLES)[number];

const hex = z.string().regex(/^#(?:[0-9a-fA-F]{3}){1,2}$/, 'a hex colour such as #1a73e8');

/** Product facts in another language, used verbatim by the template writer (it does not translate). */
const localisedSchema = z.strictObject({
  name: z.string().min(1).optional(),
  features: z.array(z.string().min(1)).min(1).optional(),
  audience: z.string().min(1).optional(),
  callToAction: z.string().min(1).optional(),
});

export const productSchema = z.strictObject({
  name: z.string().min(1).max(80),
  features: z.array(z.string().min(1).max(200)).min(1).max(12),
  audience: z.string().min(1).max(200),
  /** First is the main brand colour; second and third (optional) are secondary and accent. */
  brandColors: z.array(hex).min(1).max(4),
  tones: z.array(z.enum(AD_TONES)).min(1).default(['professional']),
  languages: z.array(z.enum(AD_LANGUAGES)).min(1).default(['en']),
  styles: z.array(z.enum(IMAGE_STYLES)).min(1).default(['photorealistic', 'minimalist']),
  /** A product photo (path, relative to the product file when read from one). */
  photo: z.string().min(1).optional(),
  callToAction: z.string().min(1).max(30).optional(),
  localized: z.partialRecord(z.enum(AD_LANGUAGES), localisedSchema).default({}),
});

export type ProductInput = z.input<typeof productSchema>;
export type Product = z.output<typeof productSchema>;

export function parseProduct(value: unknown, what = 'product'): Product {
  const parsed = productSchema.safeParse(value);
  if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what, hint: 'See the product schema in the @ferry/plugin-multimodal README.' });
  return parsed.data;
}

/** Reads product JSON; a relative `photo` resolves against the file's folder. */
export async function readProduct(path: string): Promise<Product> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new FerryError('INPUT_INVALID', `cannot read product JSON ${path}: ${(cause as Error).message}`, { field: 'product', hint: 'Give a JSON file with name, features, audience and brandColors.', cause });
  }
  const product = parseProduct(json, path);
  return product.photo && !isAbsolute(product.photo) ? { ...product, photo: resolve(dirname(path), product.photo) } : product;
}

/** The product's facts in one language: the localised ones where given. */
export function productIn(product: Product, language: AdLanguage): { name: string; features: string[]; audience: string; callToAction?: string } {
  const local = product.localized[language] ?? {};
  const callToAction = local.callToAction ?? (language === 'en' ? product.callToAction : undefined);
  return {
    name: local.name ?? product.name,
    features: local.features ?? product.features,
    audience: local.audience ?? product.audience,
    ...(callToAction ? { callToAction } : {}),
  };
}
