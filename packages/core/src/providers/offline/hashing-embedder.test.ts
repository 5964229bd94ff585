import { describe, expect, it } from 'vitest';
import { isFerryError } from '../../errors/ferry-error.js';
import { loadBanking77, loadXquadParagraphs } from '../../testing/shared-data.js';
import { HashingEmbedder } from './hashing-embedder.js';
import { dot } from './vector-math.js';

const norm = (v: Float32Array): number => Math.sqrt(dot(v, v));

describe('HashingEmbedder', () => {
  it('is deterministic across calls and instances', async () => {
    const text = 'How do I reset my password? 如何重置我的密码';
    const [a] = await new HashingEmbedder().embed([text]);
    const [b] = await new HashingEmbedder().embed([text]);
    expect(a).toEqual(b);
    expect(new HashingEmbedder().embedText(text)).toEqual(a);
  });

  it('honours dims and returns unit vectors', async () => {
    for (const dims of [16, 384, 1000, 8192]) {
      const [vector] = await new HashingEmbedder(dims).embed(['The quarterly revenue rose 5%']);
      expect(vector).toHaveLength(dims);
      expect(norm(vector as Float32Array)).toBeCloseTo(1, 5);
    }
  });

  it('embeds texts without words as the zero vector', async () => {
    const [empty, punctuation] = await new HashingEmbedder(64).embed(['', ' ?! ']);
    expect([...(empty as Float32Array)].every((x) => x === 0)).toBe(true);
    expect([...(punctuation as Float32Array)].every((x) => x === 0)).toBe(true);
  });

  it('puts paraphrases closer than unrelated text', async () => {
    const [question, paraphrase, unrelated] = await new HashingEmbedder().embed([
      'How do I reset my password?',
      'I forgot my password and need to reset it',
      'The quarterly revenue rose 5%',
    ]);
    const near = dot(question as Float32Array, paraphrase as Float32Array);
    const far = dot(question as Float32Array, unrelated as Float32Array);
    expect(near).toBeGreaterThan(0.2);
    expect(near).toBeGreaterThan(far + 0.15);
  });

  it('handles Chinese: shared words and characters bring texts together', async () => {
    const [question, paraphrase, unrelated] = await new HashingEmbedder().embed(['如何重置我的密码', '忘记密码怎么重置', '今天天气很好']);
    const near = dot(question as Float32Array, paraphrase as Float32Array);
    const far = dot(question as Float32Array, unrelated as Float32Array);
    expect(near).toBeGreaterThan(0.2);
    expect(near).toBeGreaterThan(far + 0.15);
  });

  it('folds case and full-width forms (NFKC)', () => {
    const embedder = new HashingEmbedder();
    expect(dot(embedder.embedText('ＲＥＳＥＴ Password'), embedder.embedText('reset password'))).toBeCloseTo(1, 5);
  });

  it('says it is not neural', () => {
    const { metadata } = new HashingEmbedder(256);
    expect(metadata).toMatchObject({ provider: 'offline', model: 'hash-256', ref: 'offline:hash-256', task: 'embedding', neural: false, dims: 256 });
    expect(metadata.description).toMatch(/feature hashing/i);
    expect(metadata.description).toMatch(/not a neural model/);
  });

  it.each([0, 8, 15, 8193, 12.5, Number.NaN])('rejects dims %s naming the field and the fix', (dims) => {
    try {
      new HashingEmbedder(dims);
      expect.unreachable();
    } catch (error) {
      expect(isFerryError(error, 'INPUT_INVALID')).toBe(true);
      expect((error as { field: string }).field).toBe('dims');
      expect((error as Error).message).toMatch(/16 to 8192/);
      expect((error as Error).message).toContain('offline:hash-384');
    }
  });

  it('embedSparse gives embedText\'s non-zero entries bit for bit, in index order', () => {
    const texts = [
      ...loadBanking77('test').slice(0, 300).map((row) => row.text),
      ...loadXquadParagraphs().slice(0, 20).flatMap((p) => [p.context, ...p.questions.map((q) => q.question)]),
      '如何重置我的密码？パスワードを再設定してください。',
      'emoji 😀😀 and combining é e\u0301',
      '',
      '!!! ... ???',
    ];
    for (const dims of [16, 1024]) {
      const embedder = new HashingEmbedder(dims);
      for (const text of texts) {
        const dense = embedder.embedText(text);
        const nonZero = [...dense.keys()].filter((i) => dense[i] !== 0);
        const sparse = embedder.embedSparse(text);
        expect([...sparse.indices]).toEqual(nonZero);
        expect([...sparse.values]).toEqual(nonZero.map((i) => dense[i]));
      }
    }
  });

  it('stops on an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(new HashingEmbedder().embed(['a'], { signal: controller.signal })).rejects.toThrow();
  });
});
