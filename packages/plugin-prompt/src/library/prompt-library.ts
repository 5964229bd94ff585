import { FerryError } from '@ferry/core';
import { codeGenerationPrompt } from './code-generation-prompt.js';
import { creativeWritingPrompt } from './creative-writing-prompt.js';
import { extractionPrompt } from './extraction-prompt.js';
import { fewShotClassificationPrompt } from './few-shot-classification-prompt.js';
import { investmentAnalysisPrompt } from './investment-analysis-prompt.js';
import { knowledgeBaseAnswerPrompt } from './knowledge-base-answer-prompt.js';
import type { PromptLibraryEntry } from './library-entry.js';
import { problemDiagnosisPrompt } from './problem-diagnosis-prompt.js';
import { summaryPrompt } from './summary-prompt.js';
import { zeroShotClassificationPrompt } from './zero-shot-classification-prompt.js';

/** Every library prompt, keyed by its prompt name. */
export const promptLibrary = {
  extraction: extractionPrompt,
  summary: summaryPrompt,
  'code-generation': codeGenerationPrompt,
  'creative-writing': creativeWritingPrompt,
  'problem-diagnosis': problemDiagnosisPrompt,
  'investment-analysis': investmentAnalysisPrompt,
  'zero-shot-classification': zeroShotClassificationPrompt,
  'few-shot-classification': fewShotClassificationPrompt,
  'knowledge-base-answer': knowledgeBaseAnswerPrompt,
} as const;

export type PromptLibraryName = keyof typeof promptLibrary;

export function getPrompt<N extends PromptLibraryName>(name: N): (typeof promptLibrary)[N];
export function getPrompt(name: string): PromptLibraryEntry;
export function getPrompt(name: string): PromptLibraryEntry {
  const entry = (promptLibrary as Record<string, PromptLibraryEntry>)[name];
  if (!entry) {
    throw new FerryError('INPUT_INVALID', `no prompt named "${name}" in the prompt library`, {
      field: 'name',
      hint: `Use one of: ${Object.keys(promptLibrary).join(', ')}.`,
      details: { available: Object.keys(promptLibrary) },
    });
  }
  return entry;
}
