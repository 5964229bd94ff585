import { z } from 'zod';
import type { Product, AdLanguage, AdTone } from './product-schema.js';
import type { Keyword } from './keywords.js';

/** One tone's copy in one language: short lines for banners, long copy for posts and landing pages. */
export const adCopySchema = z.strictObject({
  headline: z.string().min(1).max(90),
  subline: z.string().min(1).max(160),
  benefits: z.array(z.string().min(1).max(160)).min(2).max(5),
  callToAction: z.string().min(1).max(30),
  audienceAppeal: z.string().min(1).max(240),
  shortCopy: z.string().min(1).max(200),
  longCopy: z.string().min(1).max(1500),
});

export type AdCopy = z.output<typeof adCopySchema>;

export interface CopyRequest {
  product: Product;
  keywords: Keyword[];
  tone: AdTone;
  language: AdLanguage;
}

/** Writes ad copy; the template writer is the offline default, a model writer wraps any TextGenerator. */
export interface CopyWriter {
  readonly name: string;
  write(request: CopyRequest, options?: { signal?: AbortSignal }): Promise<AdCopy>;
}
