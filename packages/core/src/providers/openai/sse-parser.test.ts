import { describe, expect, it } from 'vitest';
import { parseSse, type SseEvent } from './sse-parser.js';

async function parse(pieces: ReadonlyArray<Uint8Array>): Promise<SseEvent[]> {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield* pieces;
  }
  const events: SseEvent[] = [];
  for await (const event of parseSse(chunks())) events.push(event);
  return events;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

// Every line ending, a comment, multi-line data, fields without a space, a 4-byte character.
const STREAM = [
  ': keep-alive comment\n',
  'data: {"a":1}\r\n\r\n',
  'event: update\rid: 7\rdata: line one\rdata:line two\r\r',
  'data: caf\u00e9 \u{1F600}\n',
  'retry: 1000\n',
  'unknown: ignored\n\n',
  'event: no-data-so-not-dispatched\n\n',
  'data\n\n',
  'data: [DONE]\n\n',
].join('');

const EXPECTED: SseEvent[] = [
  { event: 'message', data: '{"a":1}' },
  { event: 'update', data: 'line one\nline two', id: '7' },
  { event: 'message', data: 'caf\u00e9 \u{1F600}', id: '7' },
  { event: 'message', data: '', id: '7' },
  { event: 'message', data: '[DONE]', id: '7' },
];

describe('parseSse', () => {
  it('parses every line ending, comments, multi-line data and UTF-8', async () => {
    expect(await parse([bytes(STREAM)])).toEqual(EXPECTED);
  });

  it('gives the same events however the bytes are split, even one byte per read', async () => {
    const all = bytes(STREAM);
    for (let cut = 1; cut < all.length; cut++) {
      expect(await parse([all.subarray(0, cut), all.subarray(cut)])).toEqual(EXPECTED);
    }
    expect(await parse([...all].map((b) => Uint8Array.of(b)))).toEqual(EXPECTED);
  });

  it('treats a \\r at the end of one read and \\n at the start of the next as one line end', async () => {
    expect(await parse([bytes('data: a\r'), bytes('\ndata: b\r'), bytes('\n\r\n')])).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('delivers a last event that lacks its closing blank line, and strips a byte-order mark', async () => {
    expect(await parse([bytes('\uFEFFdata: first\n\ndata: last')])).toEqual([
      { event: 'message', data: 'first' },
      { event: 'message', data: 'last' },
    ]);
  });

  it('yields nothing for an empty stream', async () => {
    expect(await parse([])).toEqual([]);
  });
});
