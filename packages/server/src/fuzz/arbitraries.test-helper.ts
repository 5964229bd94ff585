import { validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { TEST_KEYS } from '../server.test-helper.js';

/** One request as fastify's inject takes it. */
export interface FuzzRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  remoteAddress: string;
}

export interface Endpoint {
  name: string;
  method: FuzzRequest['method'];
  path: string;
  /** Well-formed bodies built from the route's real schema (checked against it by a test). */
  validBody?: fc.Arbitrary<Record<string, unknown>>;
  /** Well-formed query strings, without the `?`. */
  validQuery?: fc.Arbitrary<string>;
}

// Full unicode for free text; lengths are capped in code units because that is what zod counts.
const text = (max: number) => fc.string({ maxLength: max, unit: 'binary' });
const nonEmpty = (max: number) => fc.string({ minLength: 1, maxLength: max, unit: 'binary' }).filter((s) => s.length <= max);

/** Model names no config has, Object.prototype's keys among them (once a 500); a tenth of the cases. */
const modelName = (...known: string[]) =>
  fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'nope', 'offline:nope', 'nope:x') },
  );

const message = fc.record({
  role: fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool'),
  content: fc.oneof(text(200), fc.array(fc.record({ type: fc.constant('text'), text: text(80) }), { maxLength: 3 }), fc.constant(null)),
});

export const validBodies = {
  chatCompletion: fc.record(
    {
      model: modelName('chat', 'offline:extractive'),
      messages: fc.array(message, { minLength: 1, maxLength: 4 }),
      stream: fc.boolean(),
      max_tokens: fc.integer({ min: 1, max: 512 }),
      temperature: fc.double({ min: 0, max: 2, noNaN: true }),
      stop: fc.oneof(text(10), fc.array(text(10), { maxLength: 4 })),
      n: fc.constant(1),
      documents: fc.array(fc.record({ id: nonEmpty(40), text: text(300), source: text(40) }, { requiredKeys: ['id', 'text'] }), { maxLength: 4 }),
    },
    { requiredKeys: ['model', 'messages'] },
  ),
  embeddings: fc.record(
    {
      model: modelName('embedder', 'offline:hash-64'),
      input: fc.oneof(text(200), fc.array(text(100), { minLength: 1, maxLength: 5 })),
      encoding_format: fc.constantFrom('float', 'base64'),
      user: text(20),
    },
    { requiredKeys: ['model', 'input'] },
  ),
  ticket: fc.record(
    {
      customer: fc.record({
        id: nonEmpty(64),
        email: fc.tuple(fc.stringMatching(/^[a-z0-9]{1,12}(\+[a-z0-9]{1,6})?$/), fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.constantFrom('com', 'cn', 'co.uk')).map(([l, d, t]) => `${l}@${d}.${t}`),
        tier: fc.constantFrom('free', 'pro', 'enterprise'),
      }),
      items: fc.array(
        fc.record(
          {
            sku: fc.stringMatching(/^[A-Z0-9-]{3,20}$/),
            qty: fc.integer({ min: 1, max: 99 }),
            options: fc.dictionary(fc.string({ maxLength: 32 }), fc.string({ maxLength: 200 }), { maxKeys: 3 }),
          },
          { requiredKeys: ['sku', 'qty'] },
        ),
        { minLength: 1, maxLength: 5 },
      ),
      notes: fc.string({ maxLength: 2000 }),
      priority: fc.constantFrom('low', 'normal', 'high'),
    },
    { requiredKeys: ['customer', 'items'] },
  ),
  chat: fc.record({ user_id: nonEmpty(128), message: nonEmpty(400) }),
};

const queryValue = fc.oneof(fc.string({ maxLength: 40 }), fc.integer().map(String));
export const validSearchQuery = fc
  .record({ q: fc.string({ minLength: 1, maxLength: 200 }), limit: fc.integer({ min: 1, max: 50 }), tag: fc.array(fc.string({ maxLength: 32 }), { maxLength: 3 }) }, { requiredKeys: ['q'] })
  .map(({ q, limit, tag }) => {
    const parts = [`q=${encodeURIComponent(q)}`];
    if (limit !== undefined) parts.push(`limit=${limit}`);
    for (const t of tag ?? []) parts.push(`tag=${encodeURIComponent(t)}`);
    return parts.join('&');
  });

/** Every route the fuzz server exposes, plus a path no route matches. */
export const ENDPOINTS: Endpoint[] = [
  { name: 'GET /health', method: 'GET', path: '/health' },
  { name: 'GET /ready', method: 'GET', path: '/ready' },
  { name: 'GET /metrics', method: 'GET', path: '/metrics' },
  { name: 'GET /v1/models', method: 'GET', path: '/v1/models' },
  { name: 'POST /v1/chat/completions', method: 'POST', path: '/v1/chat/completions', validBody: validBodies.chatCompletion },
  { name: 'POST /v1/embeddings', method: 'POST', path: '/v1/embeddings', validBody: validBodies.embeddings },
  { name: 'POST /api/tickets', method: 'POST', path: '/api/tickets', validBody: validBodies.ticket },
  { name: 'POST /api/chat', method: 'POST', path: '/api/chat', validBody: validBodies.chat },
  { name: 'GET /api/search', method: 'GET', path: '/api/search', validQuery: validSearchQuery },
  { name: 'unmatched paths', method: 'GET', path: '/nope' },
];

const POISON = ['__proto__', 'constructor', 'prototype'] as const;

/** JSON-ish values whose object keys are often the ones prototype pollution uses. */
const poisonedJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'poison' },
    fc.jsonValue({ maxDepth: 1 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...POISON), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 3 }),
  ),
}));

/** Renders a value as JSON text; JSON.stringify keeps own `__proto__` keys made by the dictionary above. */
const poisonedJsonText = fc.oneof(
  poisonedJson.value.map((v) => JSON.stringify(v) ?? 'null'),
  fc.constantFrom(
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"model":"chat","messages":[{"role":"user","content":"x","__proto__":{"polluted":1}}]}',
    '{"customer":{"__proto__":{"polluted":1},"id":"a","email":"a@b.co","tier":"pro"},"items":[{"sku":"AB1","qty":1}]}',
    '{"items":[{"sku":"AB1","qty":1,"options":{"__proto__":"x","constructor":{"prototype":{"polluted":"y"}}}}]}',
    '{"a":{"b":{"constructor":{"prototype":{"toString":"polluted"}}}}}',
  ),
);

/** A well-formed body with one field changed: dropped, replaced by any JSON value, or a stray key added. */
function mutateOne(body: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]): void => {
    if (path.length > 0) paths.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(body, []);
  if (paths.length === 0) return fc.constant(body);
  return fc.tuple(fc.constantFrom(...paths), fc.constantFrom('drop', 'replace', 'extra'), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('extra', ...POISON)).map(([path, op, value, extraKey]) => {
    const copy = structuredClone(body);
    let parent: Record<string | number, unknown> = copy;
    for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (op === 'drop') {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
    } else if (op === 'replace') parent[last] = value;
    else if (parent && typeof parent === 'object' && !Array.isArray(parent)) Object.defineProperty(parent, extraKey, { value, enumerable: true, writable: true, configurable: true });
    return copy;
  });
}

const deepNesting = fc
  .tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom('[', '{"a":'), fc.boolean())
  .map(([n, open, closed]) => {
    const close = open === '[' ? ']' : '}';
    return open.repeat(n) + '1' + (closed ? close.repeat(n) : '');
  });

/**
 * Bodies over the 1 MiB limit. Bodies just under it cost the offline
 * answerer up to a second or two each, too slow for thousands of cases;
 * large-bodies.test.ts sends the worst shapes of those. Built once as Buffers: making a multi-megabyte
 * string per case and encoding it in inject cost ~10 ms a case, the
 * prebuilt bytes ~0.3 ms, so the fuzz spends its time on the server.
 */
const HUGE_BODIES = [1024 * 1024 + 1, 3 * 1024 * 1024].flatMap((size) =>
  ['x', 'é', '\u{1F600}'].map((unit) => Buffer.from(`{"model":"chat","messages":[{"role":"user","content":"${unit.repeat(Math.floor(size / Buffer.byteLength(unit)))}"}]}`)),
);
const hugeText = fc.constantFrom(...HUGE_BODIES);

/** Byte sequences that are not UTF-8: lone continuation bytes, overlongs, surrogates, truncated sequences. */
const invalidUtf8 = fc
  .tuple(
    fc.constantFrom([0xff], [0xfe, 0xff], [0x80], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xc3]),
    fc.constantFrom('{"model":"', '{"user_id":"u","message":"', '', '["'),
    fc.constantFrom('"}', '"]', ''),
  )
  .map(([bad, before, after]) => Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]));

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'application/json;;;',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/vnd.api+json',
  '*/*',
  'application/',
  ';',
];

function payloadFor(endpoint: Endpoint): fc.Arbitrary<{ payload?: string | Buffer; contentType?: string }> {
  const json = (body: fc.Arbitrary<string | Buffer>) => fc.tuple(body, fc.constantFrom(...CONTENT_TYPES.slice(0, 5))).map(([payload, contentType]) => ({ payload, contentType }));
  const valid = endpoint.validBody;
  const kinds: fc.Arbitrary<{ payload?: string | Buffer; contentType?: string }>[] = [
    json(fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v))),
    json(poisonedJsonText),
    json(deepNesting),
    json(invalidUtf8),
    json(fc.constantFrom('', ' ', '\n', 'null', '{', '}', '{"a":1', '[1,]', '{"a":1}{"b":2}', '\u0000', '\uFEFF{}', '1e999999', '-', '"\\ud800"')),
    json(fc.string({ maxLength: 200 })),
    json(fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a))),
    fc.tuple(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))), fc.constantFrom(...CONTENT_TYPES), fc.string({ maxLength: 40 })).map(([payload, contentType, junk]) => ({
      payload,
      contentType: validHeader(junk) && junk.length > 0 && junk.length % 3 === 0 ? junk : contentType,
    })),
    fc.constant({}),
  ];
  if (valid) {
    kinds.push(json(valid.map((b) => JSON.stringify(b))), json(valid.chain(mutateOne).map((b) => JSON.stringify(b))), json(valid.chain(mutateOne).chain(mutateOne).map((b) => JSON.stringify(b))));
    // Near-valid bodies dominate: they get past the parser and probe the schema and the handler.
    return fc.oneof({ arbitrary: fc.oneof(...kinds), weight: 40 }, { arbitrary: json(hugeText), weight: 1 }, { arbitrary: json(valid.chain(mutateOne).map((b) => JSON.stringify(b))), weight: 40 }, { arbitrary: json(valid.map((b) => JSON.stringify(b))), weight: 20 });
  }
  // Multi-megabyte bodies are rare (~1 in 50): the other kinds probe more per case.
  return fc.oneof({ arbitrary: fc.oneof(...kinds), weight: 50 }, { arbitrary: json(hugeText), weight: 1 });
}

function validHeader(value: string): boolean {
  try {
    validateHeaderValue('x', value);
    return true;
  } catch {
    return false;
  }
}

/** Header values an HTTP client can actually send (node rejects control characters and non-latin1). */
const headerText = (max: number) => fc.string({ maxLength: max, unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)) }).filter(validHeader);

const authorization = fc.oneof(
  fc.constant<Record<string, string>>({}),
  fc.constantFrom(TEST_KEYS.chat, TEST_KEYS.embeddings, TEST_KEYS.admin).map((k) => ({ authorization: `Bearer ${k}` })),
  fc.constantFrom(TEST_KEYS.chat, TEST_KEYS.admin).map((k) => ({ 'x-api-key': k })),
  fc.constantFrom(TEST_KEYS.chat, TEST_KEYS.admin).map((k) => ({ authorization: `bearer   ${k}  ` })),
  // A wrong secret for a known key id costs one scrypt (~50 ms); create-ferry-server.test.ts covers it, the fuzz stays fast.
  fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a b', `Token ${TEST_KEYS.chat}`, 'Bearer fy__', 'Bearer fy_unknown-id_abcdefghijklmnopqrstuvwx').map((v) => ({ authorization: v })),
  headerText(120).map((v) => ({ authorization: v })),
  headerText(120).map((v) => ({ authorization: `Bearer ${v}` })),
  headerText(80).map((v) => ({ 'x-api-key': v })),
  fc.constant({ authorization: `Bearer ${'a'.repeat(16_000)}` }),
);

const requestId = fc.oneof(
  fc.constant<Record<string, string>>({}),
  headerText(200).map((v) => ({ 'x-request-id': v })),
  fc.constantFrom('req-1', 'a'.repeat(129), '../../etc/passwd', '<script>', '\u00ff\u00fe').map((v) => ({ 'x-request-id': v })),
);

const extraHeaders = fc.oneof(
  { arbitrary: fc.constant<Record<string, string>>({}), weight: 4 },
  fc.record({ accept: fc.constantFrom('*/*', 'text/event-stream', 'application/xml', '') }),
  fc.record({ 'accept-encoding': fc.constantFrom('gzip', 'br', 'deflate', 'identity;q=0', 'x') }),
  fc.record({ 'x-forwarded-for': headerText(60) }),
  fc.record({ 'transfer-encoding': fc.constantFrom('chunked', 'gzip') }),
  fc.record({ 'content-encoding': fc.constantFrom('gzip', 'br', 'x') }),
  fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), headerText(60), { maxKeys: 4 }),
);

const longQuery = fc.integer({ min: 1000, max: 20_000 }).map((n) => `q=${'x'.repeat(n)}`);

/** The query part of a URL (without `?`): well-formed ones, pollution attempts and raw junk. */
function queryFor(endpoint: Endpoint): fc.Arbitrary<string> {
  const kinds: fc.Arbitrary<string>[] = [
    fc.constant(''),
    fc.dictionary(fc.string({ maxLength: 10 }), queryValue, { maxKeys: 4 }).map((d) => new URLSearchParams(d).toString()),
    fc.constantFrom('__proto__[polluted]=1', '__proto__.polluted=1', 'constructor[prototype][polluted]=1', 'constructor.prototype.polluted=1', '__proto__=x&__proto__=y', 'a[b][c]=d', 'q=%', 'q=%zz', 'q=%E0%A4%A', 'q=%FF%FE', '&&&', '==', 'q', 'q=&limit=', 'q=x&limit=1e3', 'q=x&limit=-1', 'q=x&limit=NaN', 'q=x&q=y'),
    fc.string({ maxLength: 60, unit: fc.constantFrom(...'abq=&%[]._-~+!$\'()*,;:@/?09AZ'.split('')) }),
    fc.string({ maxLength: 60 }).map((s) => encodeURIComponent(s)),
  ];
  if (endpoint.validQuery) {
    const valid = endpoint.validQuery;
    kinds.push(valid, valid.chain((q) => fc.tuple(fc.constant(q), fc.constantFrom('&limit=0', '&limit=51', '&tag=', '&extra=1', '&limit=abc', `&tag=${'t'.repeat(40)}`, '&__proto__=1')).map(([a, b]) => a + b)));
    return fc.oneof({ arbitrary: fc.oneof(...kinds), weight: 50 }, { arbitrary: valid, weight: 50 }, { arbitrary: longQuery, weight: 1 });
  }
  return fc.oneof({ arbitrary: fc.oneof(...kinds), weight: 50 }, { arbitrary: longQuery, weight: 1 });
}

const methods = fc.constantFrom<FuzzRequest['method']>('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS');

/** Paths for the "unmatched" endpoint: junk, traversal, encodings. */
const junkPath = fc.oneof(
  fc.constantFrom('/nope', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/v1/../health', '//health', '/health/', '/v1/chat/completions/x', '/%', '/%zz', '/%00', '/__proto__', '/constructor/prototype', '/api/tickets/../chat'),
  fc.string({ maxLength: 60 }).map((s) => `/${encodeURIComponent(s)}`),
  fc.string({ maxLength: 60, unit: fc.constantFrom(...'abc/.%_-~09'.split('')) }).map((s) => `/${s}`),
);

/** A request aimed at one endpoint: usually its own method, sometimes another; fuzzed body, headers and query. */
export function requestFor(endpoint: Endpoint): fc.Arbitrary<FuzzRequest> {
  const path = endpoint.name === 'unmatched paths' ? junkPath : fc.constant(endpoint.path);
  return fc
    .record({
      method: fc.oneof({ arbitrary: fc.constant(endpoint.method), weight: 8 }, { arbitrary: methods, weight: 1 }),
      path,
      query: queryFor(endpoint),
      body: payloadFor(endpoint),
      auth: authorization,
      requestId,
      extra: extraHeaders,
      lengthSkew: fc.oneof({ arbitrary: fc.constant(0), weight: 15 }, fc.integer({ min: -5, max: 5 })),
      ip: fc.constantFrom('127.0.0.1', '10.0.0.7', '::1', '203.0.113.9'),
    })
    .map(({ method, path, query, body, auth, requestId, extra, lengthSkew, ip }) => {
      const headers: Record<string, string> = { ...extra, ...auth, ...requestId };
      if (body.contentType !== undefined) headers['content-type'] = body.contentType;
      if (lengthSkew !== 0 && body.payload !== undefined) headers['content-length'] = String(Math.max(0, Buffer.byteLength(body.payload) + lengthSkew));
      return {
        method,
        url: query === '' ? path : `${path}?${query}`,
        headers,
        ...(body.payload === undefined ? {} : { payload: body.payload }),
        remoteAddress: ip,
      };
    });
}
