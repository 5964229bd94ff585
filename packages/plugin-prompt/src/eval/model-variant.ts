import { FerryError, isFerryError, type GenerateInput, type TextGenerator } from '@ferry/core';
import type { ExampleSelector } from '../few-shot/example-selector.js';
import { classificationOutputFor } from '../library/classification-output.js';
import { fewShotClassificationPrompt } from '../library/few-shot-classification-prompt.js';
import { zeroShotClassificationPrompt } from '../library/zero-shot-classification-prompt.js';
import { generateStructured } from '../structured/generate-structured.js';
import { chainOfThoughtClassificationOutputSchema, chainOfThoughtClassificationPrompt } from './chain-of-thought-classification-prompt.js';
import type { EvalExample, PromptVariant, VariantOutput } from './evaluate-prompts.js';

/** Which library prompt the variant renders. */
export type ModelVariantPrompt =
  | { kind: 'zero-shot'; criterion?: string }
  | { kind: 'few-shot'; selector: ExampleSelector<EvalExample>; k?: number; lambda?: number }
  | { kind: 'chain-of-thought'; criterion?: string };

/**
 * A text generator behind a library classification prompt: renders it, asks
 * for the label with generateStructured (one attempt, so the JSON-valid rate
 * measures the prompt, not the retries), and counts the tokens it used.
 */
export function modelVariant(name: string, model: TextGenerator, prompt: ModelVariantPrompt, labels: readonly string[]): PromptVariant {
  const [first, ...rest] = labels;
  if (first === undefined || rest.length === 0) {
    throw new FerryError('INPUT_INVALID', `modelVariant "${name}" needs at least two labels, got ${labels.length}`, {
      field: 'labels',
      hint: 'Pass the label list of the data set, e.g. ["Bearish", "Bullish", "Neutral"].',
    });
  }
  const labelSchema = classificationOutputFor([first, ...rest]);
  const schema = prompt.kind === 'chain-of-thought' ? chainOfThoughtClassificationOutputSchema.extend({ label: labelSchema.shape.label }) : labelSchema;
  return {
    name,
    json: true,
    async run(example) {
      const counted = countingGenerator(model);
      const rendered = await render(prompt, example.text, labels);
      try {
        const result = await generateStructured({ model: counted.model, prompt: rendered, schema, maxAttempts: 1, options: { temperature: 0 } });
        return { label: result.value.label, raw: result.raw, tokens: counted.tokens() };
      } catch (error) {
        // A reply that is not valid JSON for the labels is a wrong answer, not a crash.
        if (!isFerryError(error, 'PROVIDER_BAD_RESPONSE')) throw error;
        const raw = error.details?.['raw'];
        return { raw: typeof raw === 'string' ? raw : '', tokens: counted.tokens() } satisfies VariantOutput;
      }
    },
  };
}

async function render(prompt: ModelVariantPrompt, text: string, labels: readonly string[]): Promise<GenerateInput> {
  switch (prompt.kind) {
    case 'zero-shot':
      return zeroShotClassificationPrompt.prompt.render({ text, labels: [...labels], ...(prompt.criterion ? { criterion: prompt.criterion } : {}) });
    case 'few-shot': {
      // One example per label first, so the prompt shows every label before repeating one.
      const picks = await prompt.selector.select(text, { k: prompt.k ?? 6, lambda: prompt.lambda ?? 0.5, perLabel: true });
      const examples = picks.map((p) => ({ text: p.example.text, label: p.example.label }));
      return fewShotClassificationPrompt.prompt.render({ text, labels: [...labels], examples });
    }
    case 'chain-of-thought':
      return chainOfThoughtClassificationPrompt.render({ text, labels: [...labels], ...(prompt.criterion ? { criterion: prompt.criterion } : {}) });
  }
}

/** Wraps a generator to add up the tokens of each call made through it, for one example. */
function countingGenerator(model: TextGenerator): { model: TextGenerator; tokens: () => number } {
  let total = 0;
  const wrapped: TextGenerator = {
    metadata: model.metadata,
    async generate(input, options) {
      const result = await model.generate(input, options);
      total += result.usage?.totalTokens ?? 0;
      return result;
    },
    stream: (input, options) => model.stream(input, options),
  };
  return { model: wrapped, tokens: () => total };
}
