import { z } from 'zod';
import { classificationOutputSchema } from '../library/classification-output.js';
import { definePrompt } from '../templates/prompt-template.js';

export const chainOfThoughtClassificationOutputSchema = classificationOutputSchema.extend({
  steps: z.array(z.object({ step: z.string().min(1), analysis: z.string().min(1) })).min(1),
});

/**
 * Classification in the investment-analysis style: the model reasons through
 * numbered steps first and only then commits to a label, in one JSON answer.
 */
export const chainOfThoughtClassificationPrompt = definePrompt({
  name: 'chain-of-thought-classification',
  description: 'Step-by-step reasoning, then one label, as JSON',
  variables: z.object({
    text: z.string().min(1),
    labels: z.array(z.string().min(1)).min(2),
    criterion: z.string().min(1).default('this text'),
  }),
  outputSchema: chainOfThoughtClassificationOutputSchema,
  settings: { temperature: 0 },
  messages: [
    { role: 'system', template: 'You are a careful analyst who reasons before answering.' },
    {
      role: 'user',
      template: `Classify {{criterion}} into exactly one of these labels: {{#each labels}}"{{this}}"{{#unless @last}}, {{/unless}}{{/each}}.

Text:
{{text}}

Follow these steps to reach a conclusion:
1. State what the text reports, in plain words
2. Identify the signals for and against each label
3. Weigh the signals and decide

Reason through each step before deciding. Answer with only a JSON object:
{"steps": [{"step": string, "analysis": string}, one per step above], "label": one of the labels above, "confidence": number from 0 to 1, "reasoning": one sentence}`,
    },
  ],
});
