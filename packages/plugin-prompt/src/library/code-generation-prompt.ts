import { z } from 'zod';
import { definePrompt } from '../templates/prompt-template.js';
import { definePromptLibraryEntry } from './library-entry.js';

export const codeGenerationPrompt = definePromptLibraryEntry({
  task: 'code-generation',
  description: 'Write one function from a description of its inputs, output and edge cases, with docstrings.',
  prompt: definePrompt({
    name: 'code-generation',
    description: 'Function generation with inputs, return value and edge cases',
    variables: z.object({
      language: z.string().min(1).default('Python'),
      functionDescription: z.string().min(1),
      parameters: z.string().min(1),
      returnValue: z.string().min(1),
      edgeCases: z.string().min(1),
    }),
    settings: { temperature: 0.2 },
    template: `Write a {{language}} function that {{functionDescription}}.
The function should:
- Take {{parameters}} as input
- Return {{returnValue}}
- Handle edge cases like {{edgeCases}}
- Include docstrings and comments for clarity

Function:`,
  }),
  example: {
    variables: {
      functionDescription: 'computes the weighted F1 score of predicted labels',
      parameters: 'two equal-length lists, true_labels and predicted_labels',
      returnValue: 'the weighted F1 score as a float between 0 and 1',
      edgeCases: 'empty lists, lists of different lengths, and labels that never occur in the predictions',
    },
    sampleAnswer: `def weighted_f1(true_labels, predicted_labels):
    """Return the support-weighted F1 score of predicted_labels against true_labels."""
    if len(true_labels) != len(predicted_labels):
        raise ValueError("true_labels and predicted_labels must have the same length")
    if not true_labels:
        return 0.0
    total = 0.0
    for label in set(true_labels):
        tp = sum(1 for t, p in zip(true_labels, predicted_labels) if t == label and p == label)
        fp = sum(1 for t, p in zip(true_labels, predicted_labels) if t != label and p == label)
        fn = sum(1 for t, p in zip(true_labels, predicted_labels) if t == label and p != label)
        # A label never predicted has precision 0 by convention, not a division by zero.
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        total += f1 * true_labels.count(label)
    return total / len(true_labels)`,
  },
});
