export type TokenCounter = (text: string) => number;

// CJK ideographs, kana, hangul and CJK punctuation: BPE tokenizers spend about one token per character on them.
const CJK = /[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/gu;

/**
 * Tokenizer-free estimate for when no real counter is supplied:
 * 1 token per CJK character plus ceil(other characters / 4), the usual
 * rule of thumb for English under GPT-style BPE. Deliberately rough; pass a
 * real tokenizer to fitToBudget when the budget is tight.
 */
export function estimateTokens(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  const other = [...text].length - cjk;
  return cjk + Math.ceil(other / 4);
}
