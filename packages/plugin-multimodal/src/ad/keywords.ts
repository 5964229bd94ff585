const STOPWORDS = new Set(
  'a an and are as at be by for from has have in into is it its of on or our that the their this to up with your you yours we all any can more most new very just than so out over per via'.split(' '),
);

export interface Keyword {
  term: string;
  score: number;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Lower-case words (hyphens kept), and CJK runs as character bigrams. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const run of text.toLowerCase().match(/[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9][a-z0-9'-]*/g) ?? []) {
    if (CJK.test(run)) {
      if (run.length === 1) tokens.push(run);
      for (let i = 0; i + 1 < run.length; i++) tokens.push(run.slice(i, i + 2));
    } else if (!STOPWORDS.has(run) && run.length > 2 && !/^\d+$/.test(run)) {
      tokens.push(run.replace(/'s$/, ''));
    }
  }
  return tokens;
}

/**
 * Keywords by term frequency over the product's fields, weighted by where
 * they occur (name 3, features 2, audience 1) with a bonus for terms that
 * appear in several features, plus the best two-word phrases.
 */
export function extractKeywords(fields: { name: string; features: string[]; audience: string }, limit = 12): Keyword[] {
  const scores = new Map<string, number>();
  const spread = new Map<string, number>();
  const add = (text: string, weight: number): void => {
    const tokens = tokenize(text);
    for (const t of tokens) scores.set(t, (scores.get(t) ?? 0) + weight);
    for (const t of new Set(tokens)) spread.set(t, (spread.get(t) ?? 0) + 1);
    // Adjacent word pairs from the same field make phrases ("noise cancelling").
    const words = text.toLowerCase().match(/[a-z0-9][a-z0-9'-]*/g) ?? [];
    for (let i = 0; i + 1 < words.length; i++) {
      const [a, b] = [words[i] ?? '', words[i + 1] ?? ''];
      if ([a, b].some((w) => STOPWORDS.has(w) || w.length < 3 || /^\d+$/.test(w))) continue;
      const phrase = `${a} ${b}`;
      // A phrase says more than either word alone, so it edges ahead of them.
      scores.set(phrase, (scores.get(phrase) ?? 0) + weight * 1.1);
    }
  };
  add(fields.name, 3);
  for (const f of fields.features) add(f, 2);
  add(fields.audience, 1);
  return [...scores.entries()]
    .map(([term, score]) => ({ term, score: score * (1 + 0.5 * Math.max(0, (spread.get(term) ?? 1) - 1)) }))
    .sort((a, b) => b.score - a.score || a.term.localeCompare(b.term))
    .slice(0, limit)
    .map((k) => ({ term: k.term, score: Math.round(k.score * 100) / 100 }));
}
