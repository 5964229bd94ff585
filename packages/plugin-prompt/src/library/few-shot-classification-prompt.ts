import { z } from 'zod';
import { definePrompt } from '../templates/prompt-template.js';
import { classificationOutputSchema } from './classification-output.js';
import { definePromptLibraryEntry } from './library-entry.js';

export const fewShotClassificationPrompt = definePromptLibraryEntry({
  task: 'classification',
  description: 'Classify a text into one of the given labels, guided by labelled examples; answers {label, confidence, reasoning} JSON.',
  prompt: definePrompt({
    name: 'few-shot-classification',
    description: 'Few-shot classification from {text, label} examples',
    variables: z.object({
      text: z.string().min(1),
      labels: z.array(z.string().min(1)).min(2),
      examples: z.array(z.object({ text: z.string().min(1), label: z.string().min(1) })).min(1),
    }),
    outputSchema: classificationOutputSchema,
    settings: { temperature: 0 },
    template: `Classify the text into exactly one of these labels: {{#each labels}}"{{this}}"{{#unless @last}}, {{/unless}}{{/each}}.

Examples:
{{#each examples}}
Text: {{text}}
Label: {{label}}

{{/each}}
Text: {{text}}

Answer with only a JSON object: {"label": one of the labels above, "confidence": number from 0 to 1, "reasoning": one sentence}`,
  }),
  example: {
    variables: {
      text: 'Shares fell 8% after the company cut its full-year guidance.',
      labels: ['negative', 'neutral', 'positive'],
      examples: [
        { text: 'Revenue grew 30% and margins widened.', label: 'positive' },
        { text: 'The company will hold its annual meeting on 12 May.', label: 'neutral' },
        { text: 'The regulator opened an investigation into the accounts.', label: 'negative' },
      ],
    },
    sampleAnswer: '{"label": "negative", "confidence": 0.9, "reasoning": "A guidance cut and a share price drop are bad news."}',
  },
  outputSchema: classificationOutputSchema,
});
