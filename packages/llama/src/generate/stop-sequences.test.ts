import { describe, expect, it } from 'vitest';
import { StopSequenceFilter } from './stop-sequences.js';

describe('StopSequenceFilter', () => {
  it('holds back a possible stop prefix and cuts before the stop', () => {
    const filter = new StopSequenceFilter(['END']);
    expect(filter.push('hello E')).toBe('hello ');
    expect(filter.push('N')).toBe('');
    expect(filter.push('D and more')).toBe('');
    expect(filter.stopped).toBe(true);
    expect(filter.output).toBe('hello ');
  });

  it('releases held text when the stop does not complete', () => {
    const filter = new StopSequenceFilter(['END']);
    expect(filter.push('EN')).toBe('');
    expect(filter.push('Xy')).toBe('ENXy');
    expect(filter.push('E')).toBe('');
    expect(filter.flush()).toBe('E');
    expect(filter.output).toBe('ENXyE');
  });

  it('stops at the earliest of several sequences, even inside one piece', () => {
    const filter = new StopSequenceFilter(['\n\n', 'User:']);
    expect(filter.push('answer User: x\n\n')).toBe('answer ');
    expect(filter.stopped).toBe(true);
  });
});
