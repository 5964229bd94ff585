import { z } from 'zod';
import { finetuneError } from '../finetune-error.js';
import type { ChatMessage, Tokenizer } from './tokenizer.js';

/** Alpaca-style layout; `{instruction}` and `{input}` are replaced. */
export const DEFAULT_INSTRUCTION_TEMPLATE = '### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n';

export const promptFormatSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('instruction'),
      instruction: z.string().min(1),
      template: z.string().includes('{input}').default(DEFAULT_INSTRUCTION_TEMPLATE),
    })
    .strict(),
  z
    .object({
      kind: z.literal('chat'),
      /** Put before the input in the user turn. */
      instruction: z.string().min(1),
      system: z.string().optional(),
    })
    .strict(),
]);

export type PromptFormatInput = z.input<typeof promptFormatSchema>;
export type PromptFormat = z.output<typeof promptFormatSchema>;

export interface FormattedExample {
  /** Tokens the model reads but is not trained to produce. */
  promptIds: number[];
  /** Tokens the loss is computed on (the response and its end-of-sequence). */
  responseIds: number[];
}

/** The prompt text of the instruction format (for logs and review). */
export function instructionPrompt(format: Extract<PromptFormat, { kind: 'instruction' }>, input: string): string {
  return format.template.replaceAll('{instruction}', format.instruction).replaceAll('{input}', input);
}

/**
 * Tokenizes one example in `format`. Instruction format: prompt text, then
 * the response followed by EOS. Chat format: the tokenizer's chat template
 * with the generation prompt for the prompt part; the response is what the
 * template adds for the assistant turn (its end-of-turn tokens included).
 * With `response` undefined only the prompt is returned (for scoring).
 */
export function formatExample(tokenizer: Tokenizer, format: PromptFormat, input: string, response?: string): FormattedExample {
  if (format.kind === 'instruction') {
    const bos = tokenizer.bosTokenId === undefined ? [] : [tokenizer.bosTokenId];
    const promptIds = [...bos, ...tokenizer.encode(instructionPrompt(format, input))];
    return { promptIds, responseIds: response === undefined ? [] : [...tokenizer.encode(response), tokenizer.eosTokenId] };
  }
  if (tokenizer.applyChatTemplate === undefined) {
    throw finetuneError('promptFormat.kind', 'the chat format needs a tokenizer with a chat template', "Use a tokenizer that has applyChatTemplate, or the 'instruction' format.", { code: 'CONFIG_INVALID' });
  }
  const messages: ChatMessage[] = [
    ...(format.system === undefined ? [] : [{ role: 'system' as const, content: format.system }]),
    { role: 'user', content: `${format.instruction}\n\n${input}` },
  ];
  const promptIds = tokenizer.applyChatTemplate(messages, { addGenerationPrompt: true });
  if (response === undefined) return { promptIds, responseIds: [] };
  const full = tokenizer.applyChatTemplate([...messages, { role: 'assistant', content: response }], { addGenerationPrompt: false });
  if (full.length <= promptIds.length || promptIds.some((id, i) => full[i] !== id)) {
    throw finetuneError('promptFormat', 'the chat template does not render the conversation as prompt + generation prompt followed by the reply', 'Use a chat template whose add_generation_prompt output is a prefix of the full conversation, or the instruction format.', { code: 'CONFIG_INVALID' });
  }
  return { promptIds, responseIds: full.slice(promptIds.length) };
}
