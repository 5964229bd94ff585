import { z } from 'zod';
import { definePrompt } from '../templates/prompt-template.js';
import { classificationOutputSchema } from './classification-output.js';
import { definePromptLibraryEntry } from './library-entry.js';

export const zeroShotClassificationPrompt = definePromptLibraryEntry({
  task: 'classification',
  description: 'Classify a text into one of the given labels with no examples; answers {label, confidence, reasoning} JSON.',
  prompt: definePrompt({
    name: 'zero-shot-classification',
    description: 'Zero-shot classification over a label list',
    variables: z.object({
      text: z.string().min(1),
      labels: z.array(z.string().min(1)).min(2),
      /** What is being classified, e.g. "the sentiment of this financial news". */
      criterion: z.string().min(1).default('this text'),
    }),
    outputSchema: classificationOutputSchema,
    settings: { temperature: 0 },
    template: `Classify {{criterion}} into exactly one of these labels: {{#each labels}}"{{this}}"{{#unless @last}}, {{/unless}}{{/each}}.

Text:
{{text}}

Answer with only a JSON object: {"label": one of the labels above, "confidence": number from 0 to 1, "reasoning": one sentence}`,
  }),
  example: {
    variables: {
      text: 'Company XYZ reported a 20% increase in quarterly profits, beating analyst expectations.',
      labels: ['negative', 'neutral', 'positive'],
      criterion: 'the sentiment of this financial news',
    },
    sampleAnswer: '{"label": "positive", "confidence": 0.95, "reasoning": "Profits rose 20% and beat expectations."}',
  },
  outputSchema: classificationOutputSchema,
});
