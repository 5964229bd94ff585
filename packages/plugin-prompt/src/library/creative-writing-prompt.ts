import { z } from 'zod';
import { definePrompt } from '../templates/prompt-template.js';
import { definePromptLibraryEntry } from './library-entry.js';

export const creativeWritingPrompt = definePromptLibraryEntry({
  task: 'creative-writing',
  description: 'Write a piece of a given type, topic, audience, tone, length, elements and key points.',
  prompt: definePrompt({
    name: 'creative-writing',
    description: 'Creative writing with type, audience, tone and length',
    variables: z.object({
      contentType: z.string().min(1),
      topic: z.string().min(1),
      audience: z.string().min(1),
      tone: z.string().min(1),
      specificElements: z.string().min(1),
      length: z.string().min(1),
      keyPoints: z.string().min(1),
    }),
    settings: { temperature: 0.8 },
    template: `Write a {{contentType}} about {{topic}} for {{audience}}.
The piece should:
- Have a {{tone}} tone
- Include {{specificElements}}
- Be {{length}} in length
- Address {{keyPoints}}

{{contentType}}:`,
  }),
  example: {
    variables: {
      contentType: 'product announcement',
      topic: 'wireless noise-cancelling headphones',
      audience: 'young professionals and frequent travelers',
      tone: 'casual',
      specificElements: 'a catchy headline and a call to action',
      length: 'three short paragraphs',
      keyPoints: '30-hour battery life and water resistance',
    },
    sampleAnswer: `Silence, Packed to Go

Meet the headphones that turn a crowded train into your own quiet room. Active noise cancellation shuts out the rumble so you can focus, or finally sleep.

Thirty hours of battery get you across an ocean and back, and the water-resistant build shrugs off rain and gym sweat alike.

Pre-order today and hear less of everything you don't need.`,
  },
});
