import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FerryServer } from '@ferry/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { readEnv } from './env.js';

// A copy of the shipped documents and a store in a temporary folder, no API keys.
let server: FerryServer;
let dataDir: string;
let ingested: { skipped: Array<{ source: string; reason: string; message: string }> };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kb-test-'));
  const docsDir = join(dataDir, 'docs');
  await cp(new URL('../data/docs', import.meta.url).pathname, docsDir, { recursive: true });
  // A link planted in the documents folder that leads out of it, to a file that must stay private.
  await writeFile(join(dataDir, 'private.md'), '# Private\n\nThe vault code is 7391.\n');
  await symlink(join(dataDir, 'private.md'), join(docsDir, 'escape.md'));
  process.env.FERRY_DATA_DIR = dataDir;
  process.env.FERRY_DOCS_DIR = docsDir;
  server = await buildApp({ env: readEnv({ LOG_LEVEL: 'silent' }) });
  const ingest = await server.fastify.inject({ method: 'POST', url: '/api/admin/ingest' });
  expect(ingest.statusCode).toBe(200);
  expect(ingest.json().totalChunks).toBeGreaterThan(0);
  ingested = ingest.json();
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const ask = (question: unknown) => server.fastify.inject({ method: 'POST', url: '/api/ask', payload: { question } });

describe('knowledge-base app', () => {
  it('answers from the documents with a numbered source that opens', async () => {
    const response = await ask('How much may a checked bag weigh?');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.answered).toBe(true);
    expect(body.answer).toContain('23 kg');
    expect(body.answer).toMatch(/\[1\]/);
    expect(body.sources[0].source).toBe('baggage.md');
    const source = await server.fastify.inject({ method: 'GET', url: body.sources[0].url });
    expect(source.statusCode).toBe(200);
    expect(source.body).toContain('Checked bags');
  });

  it('says it does not know when the documents do not hold the answer', async () => {
    const body = (await ask('What is the boiling point of tungsten?')).json();
    expect(body.answered).toBe(false);
    expect(body.sources).toEqual([]);
  });

  it('rejects a missing question with a 400 naming the field', async () => {
    const response = await ask('');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('body.question');
  });

  it('serves only documents inside the documents folder', async () => {
    for (const url of ['/api/sources/../../package.json', '/api/sources/%2e%2e/package.json', '/api/sources/..%2f..%2fpackage.json', '/api/sources/%2fetc%2fpasswd', '/api/sources/escape.md', '/api/sources/missing.md']) {
      expect((await server.fastify.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
  });

  it('answers 404 for a folder, even one named like a document, as for a missing file', async () => {
    await mkdir(join(dataDir, 'docs', 'notes.md'));
    for (const url of ['/api/sources/notes.md', '/api/sources/notes.md/']) {
      const response = await server.fastify.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.field, url).toBe('path');
    }
  });

  it('does not ingest a link that leads out of the documents folder, and says why', async () => {
    expect(ingested.skipped).toEqual([{ source: 'escape.md', reason: 'unreadable', message: expect.stringContaining('outside the ingest root') }]);
    expect((await ask('What is the vault code?')).json().answer).not.toContain('7391');
  });

  it('serves the chat page and reports health', async () => {
    const page = await server.fastify.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="ask-form"');
    expect((await server.fastify.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await server.fastify.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });
});
