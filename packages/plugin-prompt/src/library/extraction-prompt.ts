import { z } from 'zod';
import { definePrompt } from '../templates/prompt-template.js';
import { definePromptLibraryEntry } from './library-entry.js';

/** A value the model may extract: a scalar, a list of strings, or null when the text does not say. */
const extractedValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

/** The answer for a given key list: exactly those keys, no others. */
export function extractionOutputSchema(keys: readonly string[]) {
  return z.strictObject(Object.fromEntries(keys.map((key) => [key, extractedValue])));
}

const exampleKeys = ['company', 'ticker', 'quarterly_revenue', 'revenue_growth'];

export const extractionPrompt = definePromptLibraryEntry({
  task: 'extraction',
  description: 'Extract the given keys from a text into a JSON object (null for keys the text does not mention).',
  prompt: definePrompt({
    name: 'extraction',
    description: 'Information extraction to JSON with the given keys',
    variables: z.object({
      text: z.string().min(1),
      keys: z.array(z.string().min(1)).min(1),
    }),
    settings: { temperature: 0 },
    template: `Extract specific information from the text below. Return the result as a JSON object with exactly these keys: {{#each keys}}"{{this}}"{{#unless @last}}, {{/unless}}{{/each}}.
Use null for a key the text does not mention. Return only the JSON object, with no other text.

Text:
{{text}}

JSON Output:`,
  }),
  example: {
    variables: {
      text: 'Tesla Inc. (TSLA) reported recent quarter revenue of $23.18 billion, up 24% year over year.',
      keys: exampleKeys,
    },
    sampleAnswer: '{"company": "Tesla Inc.", "ticker": "TSLA", "quarterly_revenue": "$23.18 billion", "revenue_growth": "24% YoY"}',
  },
  outputSchema: extractionOutputSchema(exampleKeys),
});
