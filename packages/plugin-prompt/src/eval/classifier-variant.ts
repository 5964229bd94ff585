import type { Classifier } from '@ferry/core';
import type { PromptVariant } from './evaluate-prompts.js';

/** A non-generative classifier as a variant: its top label, no tokens, no JSON. */
export function classifierVariant(name: string, classifier: Classifier): PromptVariant {
  return {
    name,
    async run(example) {
      const [result] = await classifier.classify([example.text]);
      return result ? { label: result.label, raw: JSON.stringify({ label: result.label, score: result.score }) } : { raw: '' };
    },
  };
}
