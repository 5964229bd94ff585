/** Words that leave the model to guess what is wanted; each hit costs clarity. */
export const VAGUE_WORDS_EN = [
  'something', 'stuff', 'things', 'etc.', 'maybe', 'some', 'good', 'nice', 'various', 'kind of', 'sort of',
  'probably', 'perhaps', 'a bit', 'interesting', 'whatever', 'somehow', 'better', 'appropriate', 'and so on',
] as const;

export const VAGUE_WORDS_ZH = ['一些', '等等', '尽量', '好一点', '某些', '之类', '大概', '差不多', '适当', '一点', '什么的', '相关内容'] as const;

export interface VagueHit {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// English words need word boundaries ("some" must not hit "someone"); Chinese has no spaces to bound on.
const VAGUE_PATTERN = new RegExp(
  [...VAGUE_WORDS_EN.map((w) => `\\b${escape(w)}${/\w$/.test(w) ? '\\b' : ''}`), ...VAGUE_WORDS_ZH.map(escape)].join('|'),
  'gi',
);

/** Vague words outside `{{...}}` placeholders, which are variable names rather than instructions. */
export function findVagueWords(text: string): VagueHit[] {
  const masked = text.replace(/\{\{[\s\S]*?\}\}/g, (m) => ' '.repeat(m.length));
  return [...masked.matchAll(VAGUE_PATTERN)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
}
