import { describe, expect, it } from 'vitest';
import { isFerryError } from '../../errors/ferry-error.js';
import { KeywordClassifier } from './keyword-classifier.js';

describe('KeywordClassifier', () => {
  const classifier = new KeywordClassifier({
    rules: {
      refund: ['refund', 'money back', '退款'],
      card: ['card', 'pin', '银行卡'],
      shipping: ['delivery', 'ship', '发货'],
    },
    fallback: 'other',
  });

  it('picks the label with the most keyword hits, with every label ranked', async () => {
    const [result] = await classifier.classify(['I want my MONEY BACK: refund the card payment please']);
    expect(result?.label).toBe('refund');
    expect(result?.score).toBeCloseTo(2 / 3);
    expect(result?.ranking.map((r) => r.label)).toEqual(['refund', 'card', 'shipping', 'other']);
    expect(result?.ranking.map((r) => r.score)).toEqual([2 / 3, 1 / 3, 0, 0]);
  });

  it('matches whole words only, case- and width-insensitively', async () => {
    const [cardinal, fullWidth] = await classifier.classify(['The cardinal shipped nothing', 'ＲＥＦＵＮＤ now']);
    expect(cardinal?.label).toBe('other');
    expect(fullWidth?.label).toBe('refund');
  });

  it('matches CJK keywords inside unsegmented text', async () => {
    const [refund, card] = await classifier.classify(['我想申请退款，谢谢', '我的银行卡丢了']);
    expect(refund?.label).toBe('refund');
    expect(card?.label).toBe('card');
  });

  it('sends texts with no hit to the fallback, which defaults to "unknown"', async () => {
    const [none] = await classifier.classify(['Hello there']);
    expect(none).toMatchObject({ label: 'other', score: 1 });
    const plain = new KeywordClassifier({ rules: { greet: ['hello'] } });
    expect(plain.labels).toEqual(['greet', 'unknown']);
    expect((await plain.classify(['good night']))[0]?.label).toBe('unknown');
  });

  it('rejects invalid rules naming the field', () => {
    for (const [options, field] of [
      [{ rules: { refund: [] } }, 'options.rules.refund'],
      [{ rules: { refund: ['ok', ''] } }, 'options.rules.refund[1]'],
      [{}, 'options.rules'],
    ] as const) {
      try {
        new KeywordClassifier(options as never);
        expect.unreachable();
      } catch (error) {
        expect(isFerryError(error, 'INPUT_INVALID')).toBe(true);
        expect((error as { field: string }).field).toBe(field);
      }
    }
  });

  it('says it is rule-based', () => {
    expect(classifier.metadata.neural).toBe(false);
    expect(classifier.metadata.description).toMatch(/not a neural model/);
  });
});
