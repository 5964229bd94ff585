import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePlugin, FerryHost, type FerryError } from '@ferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plugin, type RagPluginApi } from './rag-plugin.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-rag-plugin-'));
  await mkdir(join(dir, 'docs'), { recursive: true });
  await writeFile(join(dir, 'docs', 'handbook.md'), '# Leave\n\nEmployees get 25 days of paid leave per year.\n\n# Remote work\n\nEmployees may work remotely up to three days per week with manager approval.\n');
  await writeFile(join(dir, 'docs', 'faq-zh.md'), '# 报销\n\n差旅费用需要在出差结束后十四天内提交发票报销。\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('@ferry/plugin-rag in a host', () => {
  it('gives dependents ingest, ask and the retriever, with paths relative to the app folder', async () => {
    let api: RagPluginApi | undefined;
    const app = definePlugin({
      name: 'kb-app',
      version: '1.0.0',
      requires: { '@ferry/plugin-rag': '^0.1.0' },
      setup(ctx) {
        api = ctx.use<RagPluginApi>('@ferry/plugin-rag');
      },
    });
    const host = await FerryHost.start({ appDir: dir, config: { plugins: [{ use: plugin, config: { root: 'docs' } }, app] } });
    try {
      const report = await api!.ingest();
      expect(report.added.sort()).toEqual(['faq-zh.md', 'handbook.md']);
      const answer = await api!.ask('How many days of paid leave do employees get?');
      expect(answer.answered).toBe(true);
      expect(answer.text).toContain('25 days');
      expect(answer.sources[0]).toMatchObject({ source: 'handbook.md', heading: 'Leave' });
      const zh = await api!.ask('差旅费用多久内报销？');
      expect(zh.sources[0]?.source).toBe('faq-zh.md');
      expect((await api!.ask('Who painted the Mona Lisa?')).answered).toBe(false);
      const hits = await (await api!.retriever()).retrieve('remote work', { k: 2, filter: { source: 'handbook.md' } });
      expect(hits[0]?.metadata.heading).toBe('Remote work');
      expect(host.pipelines.list().map((p) => p.name)).toContain('rag.answer');
      expect((await api!.ingest()).unchanged).toBe(2);
    } finally {
      await host.dispose();
    }
  });

  it('ingests through links out of the root only when the config sets followLinksOutsideRoot', async () => {
    await mkdir(join(dir, 'linked', 'docs'), { recursive: true });
    await writeFile(join(dir, 'linked', 'docs', 'leave.md'), '# Leave\n\nEmployees get 25 days of paid leave per year.\n');
    await symlink(join(dir, 'docs', 'handbook.md'), join(dir, 'linked', 'docs', 'handbook.md'));
    const ingestWith = async (config: Record<string, unknown>) => {
      const host = await FerryHost.start({ appDir: join(dir, 'linked'), config: { plugins: [{ use: plugin, config: { root: 'docs', ...config } }] } });
      try {
        return await host.api<RagPluginApi>('@ferry/plugin-rag').ingest();
      } finally {
        await host.dispose();
      }
    };
    const refused = await ingestWith({});
    expect(refused.added).toEqual(['leave.md']);
    expect(refused.skipped.map((s) => [s.source, s.reason])).toEqual([['handbook.md', 'unreadable']]);
    expect((await ingestWith({ followLinksOutsideRoot: true })).added).toEqual(['handbook.md']);
  });

  it('puts the configured breaker and fallback around the generator', async () => {
    // A real model endpoint that has crashed: every call answers 500.
    let calls = 0;
    const endpoint = createServer((_req, res) => {
      calls += 1;
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"down"}}');
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const baseURL = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/v1`;
    let api: RagPluginApi | undefined;
    const app = definePlugin({ name: 'kb-app', version: '1.0.0', requires: { '@ferry/plugin-rag': '^0.1.0' }, setup: (ctx) => void (api = ctx.use<RagPluginApi>('@ferry/plugin-rag')) });
    const config = {
      root: 'docs',
      store: { kind: 'embedded', dir: 'breaker-store' },
      stateDir: 'breaker-state',
      generator: 'openai:m',
      answer: { generatorTimeoutMs: 5000, breaker: { failures: 1, cooldownMs: 60_000 }, fallback: 'extractive' },
    };
    const host = await FerryHost.start({ appDir: dir, config: { plugins: [{ use: plugin, config }, app], providers: { openai: { baseURL, maxRetries: 0 } } } });
    try {
      await api!.ingest();
      const first = await api!.ask('How many days of paid leave do employees get?');
      expect(first.degraded?.reason).toContain('HTTP 500');
      expect(first.text).toContain('25 days');
      const second = await api!.ask('How many days of paid leave do employees get?');
      expect(second.degraded?.reason).toContain('circuit breaker');
      expect(calls).toBe(1);
    } finally {
      await host.dispose();
      endpoint.closeAllConnections();
      await new Promise((resolve) => endpoint.close(resolve));
    }
  });

  it('refuses a breaker that could never close', async () => {
    const error = (await FerryHost.start({ config: { plugins: [{ use: plugin, config: { answer: { breaker: { failures: 0 } } } }] } }).catch((e: unknown) => e)) as FerryError;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.field).toBe('plugins[0].config.answer.breaker.failures');
  });

  it('rejects a bad config with the field to fix', async () => {
    const error = (await FerryHost.start({ config: { plugins: [{ use: plugin, config: { store: { kind: 'chroma', url: 'not a url' } } }] } }).catch((e: unknown) => e)) as FerryError;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.field).toBe('plugins[0].config.store.url');
  });
});
