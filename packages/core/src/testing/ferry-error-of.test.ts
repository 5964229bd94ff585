import { describe, expect, it } from 'vitest';
import { FerryError } from '../errors/ferry-error.js';
import { ferryErrorOf } from './ferry-error-of.js';

describe('ferryErrorOf', () => {
  it('hands back the FerryError a promise rejects with', async () => {
    const error = new FerryError('INPUT_INVALID', 'bad', { field: 'x', hint: 'fix x' });
    await expect(ferryErrorOf(Promise.reject(error))).resolves.toBe(error);
  });

  it('fails when the promise fulfils or rejects with something else', async () => {
    await expect(ferryErrorOf(Promise.resolve(42))).rejects.toThrow('fulfilled with 42');
    await expect(ferryErrorOf(Promise.reject(new TypeError('nope')))).rejects.toThrow('got TypeError: nope');
  });
});
