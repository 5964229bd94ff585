import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEYS } from '../server.test-helper.js';
import { startFuzzServer, type FuzzServer } from './fuzz-server.test-helper.js';

const headers = { authorization: `Bearer ${TEST_KEYS.chat}`, 'content-type': 'application/json' };
const LIMIT = 1024 * 1024;

/** A deterministic pseudo-random stream, so a failure names the same bytes every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}

/** `chars` characters of `alphabet` drawn at random. */
function drawn(alphabet: string, chars: number, seed: number): string {
  const next = seeded(seed);
  const units = [...alphabet];
  let out = '';
  for (let i = 0; i < chars; i++) out += units[Math.floor(next() * units.length)];
  return out;
}

/** Random lowercase words, a capitalised sentence start every `every` words. */
function words(chars: number, every: number, seed: number): string {
  const next = seeded(seed);
  const parts: string[] = [];
  for (let length = 0, n = 0; length < chars; n++) {
    let word = '';
    for (let k = 2 + Math.floor(next() * 8); k > 0; k--) word += String.fromCharCode(97 + Math.floor(next() * 26));
    if (n % every === 0) word = `${word[0]!.toUpperCase()}${word.slice(1)}`;
    parts.push(n % every === every - 1 ? `${word}.` : word);
    length += word.length + 1;
  }
  return parts.join(' ');
}

// Text shapes that each hit a different part of the offline answerer at its worst.
const SHAPES: Record<string, { question: string; document: string }> = {
  // One CJK run: its character bigrams once overflowed the call stack as spread arguments (a 500).
  'a CJK run as the question': { question: drawn('的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生会自着去', 300_000, 1), document: 'Refunds take five days.' },
  // Tens of thousands of sentences: ICU's one-pass sentence split was quadratic (seconds at 200 KB).
  'punctuation-dense text as the document': { question: 'refund days', document: drawn('0123456789.,;:!?-\'"()', 900_000, 2) },
  // A long question against many sentences: BM25 walked every question term for every sentence (minutes).
  'a long question against many short sentences': { question: words(450_000, 1, 3), document: words(450_000, 1, 4) },
  // Every piece ends in an initial, so all are glued into one sentence: the glue test read the whole piece each time.
  'a run of initials': { question: 'what about A', document: 'A. '.repeat(300_000) },
  'random BMP text in both': { question: drawn('abcdeéàüßøΩЖжあア한😀 .,!?\n', 200_000, 5), document: drawn('abcdeéàüßøΩЖжあア한 .,!?\n', 200_000, 6) },
};

describe('bodies just under the 1 MiB limit', () => {
  let fuzz: FuzzServer;
  beforeAll(async () => {
    fuzz = await startFuzzServer();
  });
  afterAll(async () => {
    await fuzz.server.close();
  });

  for (const [name, { question, document }] of Object.entries(SHAPES)) {
    it(`answers ${name}: a 200, not a 5xx or a request that holds the core for minutes`, { timeout: 60_000 }, async () => {
      const payload = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: question }], documents: [{ id: 'doc', text: document }] });
      expect(Buffer.byteLength(payload)).toBeGreaterThan(LIMIT / 4);
      expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(LIMIT);
      const res = await fuzz.server.fastify.inject({ method: 'POST', url: '/v1/chat/completions', headers, payload });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      expect(res.json().choices[0].message.content).toEqual(expect.any(String));
    });
  }
});
