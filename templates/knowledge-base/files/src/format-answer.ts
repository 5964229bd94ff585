import type { Answer } from '@ferry/plugin-rag';

/** The answer with its numbered sources, as the CLI prints it. */
export function formatAnswer(answer: Answer): string {
  const sources = answer.sources.map((s) => `  [${s.n}] ${s.source}${s.heading ? ` > ${s.heading}` : ''}${s.page ? ` (page ${s.page})` : ''}`);
  return [answer.text, ...(sources.length > 0 ? ['', 'Sources:', ...sources] : [])].join('\n');
}
