import { describe, expect, it } from 'vitest';
import { FerryError } from './ferry-error.js';

describe('FerryError', () => {
  it('composes code, plugin, field and fix into the message, and keeps the thrower\'s words as summary', () => {
    const error = new FerryError('INPUT_INVALID', 'the value is too long', { plugin: '@ferry/x', field: 'body.text', hint: 'Shorten it.' });
    expect(error.message).toBe('[INPUT_INVALID] plugin "@ferry/x", field "body.text": the value is too long\n  Fix: Shorten it.');
    expect(error.summary).toBe('the value is too long');
    const restated = new FerryError(error.code, error.summary, { field: 'text', hint: 'Send less text.', cause: error });
    expect(restated.message).toBe('[INPUT_INVALID] field "text": the value is too long\n  Fix: Send less text.');
    expect(restated.cause).toBe(error);
  });
});
