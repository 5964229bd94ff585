import { z } from 'zod';

/** What classification prompts ask the model to answer. */
export const classificationOutputSchema = z.object({
  label: z.string().min(1),
  confidence: z.number().min(0).max(1).optional(),
  reasoning: z.string().optional(),
});

export type ClassificationOutput = z.infer<typeof classificationOutputSchema>;

/** Same shape with `label` restricted to the given labels, once they are known. */
export function classificationOutputFor(labels: readonly [string, ...string[]]) {
  return classificationOutputSchema.extend({ label: z.enum(labels) });
}
