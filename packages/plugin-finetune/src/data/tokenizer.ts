/** One chat turn, as transformers' apply_chat_template takes them. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What fine-tuning needs of a tokenizer; @ferry/llama's tokenizer (or any other) is adapted to this. */
export interface Tokenizer {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** transformers' apply_chat_template(messages, tokenize=True, add_generation_prompt=...). */
  applyChatTemplate?(messages: readonly ChatMessage[], options: { addGenerationPrompt: boolean }): number[];
  eosTokenId: number;
  /** Prepended by encode when the model expects it (Llama's <s>); not added by the formatting code. */
  bosTokenId?: number;
  padTokenId?: number;
}

/**
 * UTF-8 bytes as token ids 0-255, EOS 256, PAD 257: no vocabulary file, so
 * it suits tests and models trained from scratch on a byte vocabulary.
 */
export class ByteTokenizer implements Tokenizer {
  readonly eosTokenId = 256;
  readonly padTokenId = 257;
  readonly vocabSize = 258;

  encode(text: string): number[] {
    return [...Buffer.from(text, 'utf8')];
  }

  decode(ids: readonly number[]): string {
    return Buffer.from(ids.filter((id) => id < 256)).toString('utf8');
  }
}
