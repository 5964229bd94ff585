import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEYS } from '../server.test-helper.js';
import { startFuzzServer, type FuzzServer } from './fuzz-server.test-helper.js';

const auth = { authorization: `Bearer ${TEST_KEYS.chat}` };
const json = { ...auth, 'content-type': 'application/json' };

describe('hostile bodies are refused before validation and before the handler', () => {
  let fuzz: FuzzServer;
  beforeAll(async () => {
    fuzz = await startFuzzServer();
  });
  afterAll(async () => {
    await fuzz.server.close();
  });

  const cases: [string, string | Buffer, number, string][] = [
    ['a body over the 1 MiB limit', `{"user_id":"u","message":"${'x'.repeat(2 * 1024 * 1024)}"}`, 413, 'BODY_TOO_LARGE'],
    ['JSON nested 100 000 deep', '['.repeat(100_000) + ']'.repeat(100_000), 400, 'INPUT_INVALID'],
    ['JSON nested 65 deep inside a valid object', `{"user_id":"u","message":"m","x":${'{"a":'.repeat(65)}1${'}'.repeat(65)}}`, 400, 'INPUT_INVALID'],
    ['a lone 0xFF byte in a string', Buffer.concat([Buffer.from('{"user_id":"u","message":"'), Buffer.from([0xff]), Buffer.from('"}')]), 400, 'INPUT_INVALID'],
    ['an overlong UTF-8 encoding of "/"', Buffer.concat([Buffer.from('{"user_id":"u","message":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), 400, 'INPUT_INVALID'],
    ['a UTF-16 surrogate encoded as UTF-8', Buffer.concat([Buffer.from('{"user_id":"u","message":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), 400, 'INPUT_INVALID'],
    ['a __proto__ key', '{"user_id":"u","message":"m","__proto__":{"polluted":true}}', 400, 'INPUT_INVALID'],
    ['a constructor.prototype key', '{"user_id":"u","message":"m","constructor":{"prototype":{"polluted":true}}}', 400, 'INPUT_INVALID'],
    ['an empty JSON body', '', 400, 'INPUT_INVALID'],
  ];

  for (const [name, payload, status, code] of cases) {
    it(`refuses ${name} with ${status} ${code}, never reaching the handler`, async () => {
      const before = fuzz.calls.chat;
      const res = await fuzz.server.fastify.inject({ method: 'POST', url: '/api/chat', headers: json, payload });
      expect(res.statusCode).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(fuzz.calls.chat).toBe(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('refuses a body whose content-length does not match what arrives', async () => {
    const before = fuzz.calls.chat;
    const res = await fuzz.server.fastify.inject({ method: 'POST', url: '/api/chat', headers: { ...json, 'content-length': '9999' }, payload: '{"user_id":"u","message":"m"}' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INPUT_INVALID');
    expect(fuzz.calls.chat).toBe(before);
  });

  it('refuses a non-JSON content type with 415, never reaching the handler', async () => {
    const before = fuzz.calls.chat;
    const res = await fuzz.server.fastify.inject({ method: 'POST', url: '/api/chat', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'user_id=u&message=m' });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(fuzz.calls.chat).toBe(before);
  });

  it('refuses an oversized body without an API key at the auth check, before reading it', async () => {
    const before = fuzz.calls.chat;
    const res = await fuzz.server.fastify.inject({ method: 'POST', url: '/api/chat', headers: { 'content-type': 'application/json' }, payload: 'x'.repeat(2 * 1024 * 1024) });
    expect(res.statusCode).toBe(401);
    expect(fuzz.calls.chat).toBe(before);
  });

  it('still serves the same route when the body is well-formed (the counter does move)', async () => {
    const before = fuzz.calls.chat;
    const res = await fuzz.server.fastify.inject({ method: 'POST', url: '/api/chat', headers: json, payload: '{"user_id":"u","message":"héllo"}' });
    expect(res.statusCode).toBe(200);
    expect(fuzz.calls.chat).toBe(before + 1);
  });
});
