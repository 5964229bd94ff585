import { z } from 'zod';
import { definePrompt } from '../templates/prompt-template.js';
import { definePromptLibraryEntry } from './library-entry.js';

export const summaryPrompt = definePromptLibraryEntry({
  task: 'summarization',
  description: 'Summarize a text in a given number of sentences, keeping main points, findings and conclusions.',
  prompt: definePrompt({
    name: 'summary',
    description: 'N-sentence summary',
    variables: z.object({
      text: z.string().min(1),
      number: z.number().int().positive(),
    }),
    settings: { temperature: 0.3 },
    template: `Summarize the following text in {{number}} sentences. Focus on the main points, key findings, and conclusions. Avoid minor details.

Text:
{{text}}

Summary:`,
  }),
  example: {
    variables: {
      text: '大模型技术正经历从实验室走向产业界的关键转折期,企业落地过程中面临着技术选型、成本控制与业务适配的三重挑战。参数高效微调使企业能在消费级GPU上完成微调,提示工程是成本最低、见效最快的模型优化方法。',
      number: 2,
    },
    sampleAnswer:
      '大模型正从实验室走向产业,企业落地面临技术选型、成本控制与业务适配三重挑战。参数高效微调降低了硬件门槛,而提示工程是成本最低、见效最快的优化手段。',
  },
});
