import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { isFerryError } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import type { Chunk, LoadedDocument } from '../documents/chunk.js';
import { splitDocument, splitDocuments } from './split-document.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

interface Squad {
  data: Array<{ title: string; paragraphs: Array<{ context: string }> }>;
}
const xquad = JSON.parse(readFileSync(`${repoRoot}../shared/data/qa/xquad.en.json`, 'utf8')) as Squad;
const englishParagraphs = xquad.data.flatMap((article) => article.paragraphs.map((p) => p.context));

// Written for these tests: Chinese prose whose sentences end only in 。！？；
const chinese = [
  '长江是中国最长的河流，全长约六千三百公里，发源于青藏高原的唐古拉山脉。它自西向东流经十一个省、自治区和直辖市，最后在上海注入东海。长江流域面积广阔，养育了全国三分之一以上的人口；沿岸城市众多，经济十分发达。',
  '你去过三峡吗？那里的风景非常壮丽！两岸高山对峙，江水奔流不息。三峡大坝是世界上装机容量最大的水电站，它在防洪、发电和航运方面都发挥着重要作用。',
  '人工智能技术正在改变各行各业。企业在落地时面临数据、人才和成本三重挑战；只有把知识库建设好，问答系统才能给出可靠的答案。检索增强生成把文档切分成小块，再按相关性找出最合适的几段交给模型！这样做既能减少幻觉，又能给出引用来源。',
].join('\n\n');
const japanese =
  '東京は日本の首都です。人口はおよそ千四百万人で、世界有数の大都市として知られています！春には桜が咲き、多くの人が公園で花見を楽しみます。あなたは東京に行ったことがありますか？';

const doc = (text: string, source = 'doc.txt', type = 'txt'): LoadedDocument => ({ text, metadata: { source, contentHash: 'h', type } });

/** Chunks in order, with their overlaps removed, must give back the text exactly. */
function reconstruct(chunks: Chunk[]): string {
  let out = '';
  let end = 0;
  for (const chunk of chunks) {
    expect(chunk.metadata.start).toBeLessThanOrEqual(end);
    out += chunk.text.slice(end - chunk.metadata.start);
    end = chunk.metadata.end;
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function graphemeBoundaries(text: string): Set<number> {
  const set = new Set<number>([text.length]);
  for (const s of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) set.add(s.index);
  return set;
}

describe('recursive splitting', () => {
  const text = englishParagraphs.slice(0, 30).join('\n\n');

  it('keeps chunks within size, at boundaries, with overlap, and loses no text', () => {
    const chunks = splitDocument(doc(text), { chunkSize: 400, chunkOverlap: 80 });
    expect(chunks.length).toBeGreaterThan(text.length / 400);
    expect(reconstruct(chunks)).toBe(text);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(400);
      expect(chunk.text).toBe(text.slice(chunk.metadata.start, chunk.metadata.end));
    }
    for (const [i, chunk] of chunks.entries()) {
      expect(chunk.id).toBe(`doc.txt#${i}`);
      expect(chunk.metadata.chunkIndex).toBe(i);
      if (i === chunks.length - 1) continue;
      // Ends after a separator (space, newline), never inside a word.
      expect(text[chunk.metadata.end - 1]).toMatch(/\s/);
    }
    const overlaps = chunks.slice(1).map((chunk, i) => chunks[i]!.metadata.end - chunk.metadata.start);
    for (const [i, overlap] of overlaps.entries()) {
      expect(overlap).toBeLessThanOrEqual(80);
      // The repeated part starts at a word.
      if (overlap > 0) expect(text[chunks[i + 1]!.metadata.start - 1]).toMatch(/\s/);
    }
    expect(overlaps.filter((o) => o >= 40).length).toBeGreaterThan(overlaps.length * 0.9);
  });

  it('prefers paragraph ends when a paragraph fits', () => {
    const chunks = splitDocument(doc(text), { chunkSize: 1000, chunkOverlap: 0 });
    const paragraphEnds = chunks.slice(0, -1).filter((c) => text.slice(c.metadata.end - 2, c.metadata.end) === '\n\n');
    expect(paragraphEnds.length).toBeGreaterThan(chunks.length / 2);
    expect(reconstruct(chunks)).toBe(text);
  });

  it('uses the defaults of 1000 / 200', () => {
    const chunks = splitDocument(doc(text));
    expect(Math.max(...chunks.map((c) => c.text.length))).toBeLessThanOrEqual(1000);
    expect(Math.max(...chunks.slice(1).map((c, i) => chunks[i]!.metadata.end - c.metadata.start))).toBeLessThanOrEqual(200);
    expect(reconstruct(chunks)).toBe(text);
  });

  it('splits Chinese only after 。！？；', () => {
    const chunks = splitDocument(doc(chinese), { chunkSize: 80, chunkOverlap: 20 });
    expect(chunks.length).toBeGreaterThan(3);
    expect(reconstruct(chunks)).toBe(chinese);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.text.length).toBeLessThanOrEqual(80);
      expect(chunk.text.trimEnd()).toMatch(/[。！？；]$/u);
    }
    expect(chunks.slice(1).some((c, i) => c.metadata.start < chunks[i]!.metadata.end)).toBe(true);
  });

  it('splits Japanese after its sentence punctuation', () => {
    const chunks = splitDocument(doc(japanese), { chunkSize: 40, chunkOverlap: 0 });
    expect(chunks.map((c) => c.text)).toEqual([
      '東京は日本の首都です。',
      '人口はおよそ千四百万人で、世界有数の大都市として知られています！',
      '春には桜が咲き、多くの人が公園で花見を楽しみます。',
      'あなたは東京に行ったことがありますか？',
    ]);
  });

  it('falls back to words, then graphemes, in CJK text without punctuation', () => {
    const text = '人工智能技术正在改变各行各业企业在落地时面临数据人才和成本三重挑战只有把知识库建设好问答系统才能给出可靠的答案';
    const chunks = splitDocument(doc(text), { chunkSize: 12, chunkOverlap: 3 });
    expect(reconstruct(chunks)).toBe(text);
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(12);
  });

  it('never splits a surrogate pair or a combining sequence', () => {
    const text = 'Cafe\u0301😀👨‍👩‍👧‍👦🇯🇵e\u0301\u0302x'.repeat(12);
    const boundaries = graphemeBoundaries(text);
    for (const size of [3, 7, 12, 30]) {
      const chunks = splitDocument(doc(text), { chunkSize: size, chunkOverlap: Math.floor(size / 3) });
      expect(reconstruct(chunks)).toBe(text);
      for (const chunk of chunks) {
        expect(boundaries.has(chunk.metadata.start)).toBe(true);
        expect(boundaries.has(chunk.metadata.end)).toBe(true);
        expect(chunk.text).not.toMatch(LONE_SURROGATE);
      }
    }
  });
});

describe('markdown splitting', () => {
  const markdown = [
    '# Handbook',
    '',
    '## Leave',
    '',
    'Staff get 25 days of paid leave a year. Unused days carry over to March.',
    '',
    '### Sick leave',
    '',
    'Report sickness before 10:00. A doctor’s note is needed after three days.',
    '',
    '```bash',
    '# not a heading: a shell comment',
    'echo ok',
    '```',
    '',
    '## Expenses',
    '',
    `${'Keep every receipt. '.repeat(12)}Claims go through the finance portal.`,
  ].join('\n');

  it('never crosses a heading and carries the heading path', () => {
    const chunks = splitDocument(doc(markdown, 'handbook.md', 'md'), { chunkSize: 120, chunkOverlap: 30 });
    expect(reconstruct(chunks)).toBe(markdown);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(120);
      // A chunk may open with its section's heading (and a bare parent title), never hold a later one.
      const lines = chunk.text.split('\n');
      const body = lines.slice(lines.findIndex((line) => line.trim() !== '' && !line.startsWith('#')));
      expect(body.filter((line) => /^#{1,6} /.test(line) && !line.includes('shell comment'))).toEqual([]);
    }
    const paths = chunks.map((c) => c.metadata.headingPath);
    expect(paths[0]).toEqual(['Handbook', 'Leave']);
    expect(chunks[0]!.text.startsWith('# Handbook\n\n## Leave')).toBe(true);
    expect(chunks.find((c) => c.text.includes('echo ok'))!.metadata.headingPath).toEqual(['Handbook', 'Leave', 'Sick leave']);
    const expenses = chunks.filter((c) => c.text.includes('receipt'));
    expect(expenses.length).toBeGreaterThan(1);
    for (const chunk of expenses) expect(chunk.metadata.headingPath).toEqual(['Handbook', 'Expenses']);
    // No overlap reaches back across a heading.
    const firstExpense = expenses[0]!;
    expect(firstExpense.text.startsWith('## Expenses')).toBe(true);
  });

  it('is the default for md documents only', () => {
    expect(splitDocument(doc(markdown, 'a.md', 'md'), { chunkSize: 120, chunkOverlap: 0 })[0]!.metadata.headingPath).toBeDefined();
    expect(splitDocument(doc(markdown, 'a.txt', 'txt'), { chunkSize: 120, chunkOverlap: 0 })[0]!.metadata.headingPath).toBeUndefined();
  });
});

describe('sentence splitting', () => {
  const text = englishParagraphs.slice(0, 8).join(' ');
  const sentences = [...new Intl.Segmenter('en', { granularity: 'sentence' }).segment(text)].map((s) => s.segment);

  it('packs whole sentences up to the size', () => {
    const chunks = splitDocument(doc(text), { strategy: 'sentence', chunkSize: 500, chunkOverlap: 150 });
    expect(reconstruct(chunks)).toBe(text);
    const ends = new Set<number>();
    let at = 0;
    for (const s of sentences) ends.add((at += s.length));
    const starts = new Set([0, ...ends]);
    for (const [i, chunk] of chunks.entries()) {
      expect(chunk.text.length).toBeLessThanOrEqual(500);
      expect(starts.has(chunk.metadata.start)).toBe(true);
      expect(ends.has(chunk.metadata.end)).toBe(true);
      const next = sentences.find((_, j) => [...ends][j - 1] === chunk.metadata.end);
      // Packed: the next whole sentence would not have fitted.
      if (i < chunks.length - 1 && next) expect(chunk.text.length + next.length).toBeGreaterThan(500);
    }
  });

  it('packs Chinese sentences', () => {
    const chunks = splitDocument(doc(chinese), { strategy: 'sentence', chunkSize: 100, chunkOverlap: 40 });
    expect(reconstruct(chunks)).toBe(chinese);
    for (const chunk of chunks) expect(chunk.text.trimEnd()).toMatch(/[。！？；]$/u);
  });
});

describe('token splitting', () => {
  const folder = `${repoRoot}fixtures/encoder/tiny-bert`;
  const hf = new HfTokenizer(
    JSON.parse(readFileSync(`${folder}/tokenizer.json`, 'utf8')) as object,
    JSON.parse(readFileSync(`${folder}/tokenizer_config.json`, 'utf8')) as object,
  );
  const tokenizer = { encode: (text: string): number[] => hf.encode(text, { add_special_tokens: false }).ids };

  it('counts chunk sizes in tokens of a real tokenizer', () => {
    const text = `${englishParagraphs[0]!}\n\n${chinese}`;
    const chunks = splitDocument(doc(text), { strategy: 'token', chunkSize: 120, chunkOverlap: 20, tokenizer });
    expect(reconstruct(chunks)).toBe(text);
    const sizes = chunks.map((c) => tokenizer.encode(c.text).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(120);
    // Cuts fall at boundaries, yet no chunk is left a sliver.
    expect(sizes.slice(0, -1).every((n) => n >= 45)).toBe(true);
  });

  it('needs a tokenizer', () => {
    expect(() => splitDocument(doc('x'), { strategy: 'token' })).toThrow(/tokenizer/);
  });
});

describe('options and numbering', () => {
  it('rejects bad sizes with the field named', () => {
    for (const bad of [{ chunkSize: 100, chunkOverlap: 100 }, { chunkSize: 0 }, { chunkSize: 1.5 }, { chunkOverlap: -1 }]) {
      try {
        splitDocument(doc('x'), bad);
        expect.unreachable();
      } catch (error) {
        expect(isFerryError(error, 'INPUT_INVALID')).toBe(true);
        expect((error as { field: string }).field).toMatch(/^split\.chunk/);
      }
    }
  });

  it('defaults the overlap to a fifth of a small chunk size', () => {
    expect(splitDocument(doc('a b c d e f g h i j k l'), { chunkSize: 10 }).length).toBeGreaterThan(1);
  });

  it('numbers chunks across the documents of one source', () => {
    const pages: LoadedDocument[] = [1, 2, 3].map((page) => ({
      text: englishParagraphs[page]!,
      metadata: { source: 'report.pdf', page, contentHash: 'h', type: 'pdf' },
    }));
    const chunks = splitDocuments([...pages, doc(englishParagraphs[4]!, 'other.txt')], { chunkSize: 300, chunkOverlap: 50 });
    const report = chunks.filter((c) => c.metadata.source === 'report.pdf');
    expect(report.map((c) => c.id)).toEqual(report.map((_, i) => `report.pdf#${i}`));
    expect(new Set(report.map((c) => c.metadata.page))).toEqual(new Set([1, 2, 3]));
    expect(chunks.find((c) => c.metadata.source === 'other.txt')!.id).toBe('other.txt#0');
  });

  it('gives no chunks for blank text', () => {
    expect(splitDocument(doc(' \n\n '))).toEqual([]);
  });
});
