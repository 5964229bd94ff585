import { z } from 'zod';
import { fromZodError } from '../../errors/ferry-error.js';
import type { LabelledExample } from '../../models/model-types.js';

export const labelledExamplesSchema = z
  .array(
    // Other fields (ids, sources) are allowed and ignored, so dataset rows can be passed as they are.
    z.looseObject({
      text: z.string().trim().min(1, 'text must be a non-empty string'),
      label: z.string().trim().min(1, 'label must be a non-empty string'),
    }),
  )
  .min(1, 'give at least one example');

/**
 * Validates training examples at the boundary; the error names the failing
 * row and field, e.g. `examples[3].label`.
 */
export function parseLabelledExamples(examples: unknown): LabelledExample[] {
  const parsed = labelledExamplesSchema.safeParse(examples);
  if (!parsed.success) {
    throw fromZodError('INPUT_INVALID', parsed.error, {
      what: 'the list of training examples',
      fieldPrefix: 'examples',
    });
  }
  return parsed.data;
}
