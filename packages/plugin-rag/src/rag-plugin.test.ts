import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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

  it('rejects a bad config with the field to fix', async () => {
    const error = (await FerryHost.start({ config: { plugins: [{ use: plugin, config: { store: { kind: 'chroma', url: 'not a url' } } }] } }).catch((e: unknown) => e)) as FerryError;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.field).toBe('plugins[0].config.store.url');
  });
});
