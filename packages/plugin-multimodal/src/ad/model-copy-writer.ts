import type { TextGenerator } from '@ferry/core';
import { generateStructured } from '@ferry/plugin-prompt';
import { adCopySchema, type AdCopy, type CopyRequest, type CopyWriter } from './ad-copy.js';
import { productIn } from './product-schema.js';

const LANGUAGE_NAMES = { en: 'English', zh: 'Simplified Chinese' } as const;

/** Copy from any TextGenerator through structured output (validated JSON, re-asked on mistakes). */
export class ModelCopyWriter implements CopyWriter {
  readonly name: string;

  constructor(
    private readonly model: TextGenerator,
    private readonly maxAttempts = 3,
  ) {
    this.name = model.metadata.ref;
  }

  async write({ product, keywords, tone, language }: CopyRequest, options: { signal?: AbortSignal } = {}): Promise<AdCopy> {
    const facts = productIn(product, language);
    const prompt = [
      { role: 'system' as const, content: 'You are a senior advertising copywriter. You write accurate copy that only claims what the product facts say.' },
      {
        role: 'user' as const,
        content: [
          `Write ad copy in ${LANGUAGE_NAMES[language]} with a ${tone} tone.`,
          `Product: ${facts.name}`,
          `Features:\n${facts.features.map((f) => `- ${f}`).join('\n')}`,
          `Audience: ${facts.audience}`,
          `Keywords to work in where natural: ${keywords.map((k) => k.term).join(', ')}`,
          facts.callToAction ? `Use this call to action: ${facts.callToAction}` : 'Write a call to action of at most 3 words.',
          'headline: at most 8 words; subline: one sentence; benefits: 3 short lines; audienceAppeal: one sentence addressing the audience; shortCopy: a social post under 200 characters; longCopy: one paragraph.',
        ].join('\n'),
      },
    ];
    const { value } = await generateStructured({
      model: this.model,
      prompt,
      schema: adCopySchema,
      maxAttempts: this.maxAttempts,
      options: { temperature: 0.7, ...(options.signal ? { signal: options.signal } : {}) },
    });
    return value;
  }
}
