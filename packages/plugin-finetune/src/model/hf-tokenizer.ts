import type { ChatMessage, Tokenizer } from '../data/tokenizer.js';
import { finetuneError } from '../finetune-error.js';

/** The part of transformers.js's PreTrainedTokenizer used here (what `loadLlama` returns as `tokenizer`). */
export interface HfTokenizerLike {
  encode(text: string, options: { add_special_tokens: boolean }): number[];
  decode(ids: number[], options: { skip_special_tokens: boolean }): string;
  apply_chat_template(messages: ChatMessage[], options: { tokenize: true; add_generation_prompt: boolean; return_tensor: false }): unknown;
  eos_token_id?: number;
  bos_token_id?: number;
  pad_token_id?: number;
  chat_template?: string | null;
}

/**
 * A model folder's tokenizer (transformers.js, as `@ferry/llama` loads it) as
 * fine-tuning's `Tokenizer`: `encode` without special tokens (the formatting
 * code adds BOS), the chat template when the folder has one.
 */
export function hfTokenizer(tokenizer: HfTokenizerLike): Tokenizer {
  const special = tokenizer;
  if (typeof special.eos_token_id !== 'number') {
    throw finetuneError('tokenizer', 'the tokenizer has no end-of-sequence token', 'Give the model folder a tokenizer_config.json with eos_token.');
  }
  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }),
    decode: (ids) => tokenizer.decode([...ids], { skip_special_tokens: false }),
    eosTokenId: special.eos_token_id,
    ...(typeof special.bos_token_id === 'number' ? { bosTokenId: special.bos_token_id } : {}),
    ...(typeof special.pad_token_id === 'number' ? { padTokenId: special.pad_token_id } : {}),
    ...(special.chat_template
      ? {
          applyChatTemplate: (messages: readonly ChatMessage[], { addGenerationPrompt }: { addGenerationPrompt: boolean }) =>
            tokenizer.apply_chat_template([...messages], { tokenize: true, add_generation_prompt: addGenerationPrompt, return_tensor: false }) as number[],
        }
      : {}),
  };
}
