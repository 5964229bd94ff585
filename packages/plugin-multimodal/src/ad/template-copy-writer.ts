import type { AdCopy, CopyRequest, CopyWriter } from './ad-copy.js';
import { COPY_TEMPLATES } from './copy-templates.js';
import { productIn } from './product-schema.js';

/** FNV-1a: a stable choice of template per product, the same on every run. */
function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function pick(list: string[], seed: number): string {
  return list[seed % list.length] ?? '';
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}\u2026`;
}

/** English features read better mid-sentence without a capital or a full stop. */
function inline(feature: string, language: string): string {
  const trimmed = feature.trim().replace(/[.\u3002]+$/, '');
  return language === 'en' && /^[A-Z][a-z]/.test(trimmed) ? trimmed[0]!.toLowerCase() + trimmed.slice(1) : trimmed;
}

/**
 * Offline, deterministic copy from real templates in English and Chinese,
 * filled with the product's (localised) facts. It never translates: give
 * `localized.zh` for Chinese facts, or they appear as written.
 */
export class TemplateCopyWriter implements CopyWriter {
  readonly name = 'templates';

  async write({ product, keywords, tone, language }: CopyRequest): Promise<AdCopy> {
    const facts = productIn(product, language);
    const t = COPY_TEMPLATES[language][tone];
    const seed = stableHash(`${product.name}|${tone}|${language}`);
    const features = facts.features.map((f) => inline(f, language));
    const slots: Record<string, string> = {
      name: facts.name,
      audience: facts.audience,
      f1: features[0] ?? facts.name,
      f2: features[1] ?? features[0] ?? facts.name,
      f3: features[2] ?? features[1] ?? features[0] ?? facts.name,
      kw: keywords.find((k) => !k.term.includes(' '))?.term ?? facts.name,
    };
    const filled = (template: string): string => template.replace(/\{(\w+)\}/g, (_, key: string) => slots[key] ?? '');
    // Features are lower-cased to sit mid-sentence; one that opens a sentence gets its capital back.
    const fill = (template: string): string =>
      language === 'en' ? filled(template).replace(/(^|[.!?]\s+)([a-z])/g, (_, lead: string, c: string) => lead + c.toUpperCase()) : filled(template);
    const benefits = facts.features.slice(0, 4).map((f) => `${t.benefitPrefix}${f.trim()}`);
    while (benefits.length < 2) benefits.push(`${t.benefitPrefix}${facts.name}`);
    return {
      headline: clip(fill(pick(t.headline, seed)), 90),
      subline: clip(fill(pick(t.subline, seed >>> 3)), 160),
      benefits: benefits.map((b) => clip(b, 160)),
      callToAction: clip(facts.callToAction ?? pick(t.callToAction, seed >>> 5), 30),
      audienceAppeal: clip(fill(pick(t.appeal, seed >>> 7)), 240),
      shortCopy: clip(fill(pick(t.short, seed >>> 9)), 200),
      longCopy: clip(fill(pick(t.long, seed >>> 11)), 1500),
    };
  }
}
