import { describe, expect, it } from 'vitest';
import { StopSequenceFilter } from './stop-sequences.js';

function feed(stops: string[], pieces: string[]): { out: string[]; filter: StopSequenceFilter } {
  const filter = new StopSequenceFilter(stops);
  const out = pieces.map((p) => filter.push(p));
  out.push(filter.flush());
  return { out, filter };
}

describe('StopSequenceFilter', () => {
  it('passes text through unchanged without stop sequences', () => {
    const { out, filter } = feed([], ['Hello', ' world']);
    expect(out).toEqual(['Hello', ' world', '']);
    expect(filter.stopped).toBe(false);
  });

  it('cuts at a stop sequence split across pieces, holding back as much as could start one', () => {
    const { out, filter } = feed(['\nUser:'], ['The answer', ' is 4.\nUs', 'er: next']);
    expect(out).toEqual(['The a', 'nswer is ', '4.', '']);
    expect(filter.stopped).toBe(true);
    expect(filter.output).toBe('The answer is 4.');
  });

  it('releases held-back text that did not become a stop sequence, and takes the earliest of several', () => {
    expect(feed(['STOP'], ['abc ST', 'ART']).filter.output).toBe('abc START');
    expect(feed(['zz', 'b'], ['aab', 'zz']).filter.output).toBe('aa');
  });
});
