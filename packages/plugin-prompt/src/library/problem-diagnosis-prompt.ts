import { z } from 'zod';
import { definePrompt } from '../templates/prompt-template.js';
import { definePromptLibraryEntry } from './library-entry.js';

export const problemDiagnosisPrompt = definePromptLibraryEntry({
  task: 'diagnosis',
  description: 'Diagnose a described problem step by step: symptoms, causes, diagnostic steps, a solution per cause.',
  prompt: definePrompt({
    name: 'problem-diagnosis',
    description: 'Step-by-step problem diagnosis',
    variables: z.object({ problem: z.string().min(1) }),
    settings: { temperature: 0.3 },
    template: `Diagnose the problem described below. Follow these steps:
1. Identify the symptoms and their severity
2. List possible causes
3. Suggest diagnostic steps to narrow down the cause
4. Propose a solution for each possible cause

Problem description:
{{problem}}

Diagnosis:`,
  }),
  example: {
    variables: {
      problem: 'After fine-tuning with QLoRA, the model answers every financial headline with "neutral", even clearly positive ones.',
    },
    sampleAnswer: `1. Symptoms: every prediction is "neutral" (severity: high, the classifier is useless).
2. Possible causes: (a) class imbalance in the training data; (b) the label is parsed from the wrong part of the output; (c) the learning rate was too high and the adapters collapsed.
3. Diagnostic steps: count labels in the training set; print raw generations before parsing; plot the training loss.
4. Solutions: (a) rebalance or weight the classes; (b) parse the text after "Sentiment:" only; (c) lower the learning rate and retrain with warmup.`,
  },
});
