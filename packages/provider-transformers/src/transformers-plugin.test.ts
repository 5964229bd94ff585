import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FerryHost, type FerryError } from '@ferry/core';
import { afterAll, describe, expect, it } from 'vitest';
import { encoderReference, maxAbsDiff, TINY_BERT } from './fixtures.test-helper.js';
import { plugin } from './transformers-plugin.js';

const appDir = mkdtempSync(join(tmpdir(), 'ferry-transformers-app-'));
afterAll(() => rmSync(appDir, { recursive: true, force: true }));

describe('@ferry/provider-transformers as a plugin', () => {
  it('registers transformers: and resolves model folders relative to the app', async () => {
    cpSync(TINY_BERT, join(appDir, 'models', 'tiny-bert'), { recursive: true });
    const host = await FerryHost.start({ appDir, config: { plugins: [{ use: plugin, config: { batchSize: 4 } }] } });
    expect(host.plugins.find((p) => p.name === '@ferry/provider-transformers')?.registered.providers).toEqual(['transformers']);
    const embedder = await host.models.embedder('transformers:./models/tiny-bert', { pooling: 'mean' });
    const vectors = await embedder.embed(encoderReference.embeddings.map((e) => e.text));
    vectors.forEach((v, i) => expect(maxAbsDiff(v, encoderReference.embeddings[i]!.mean)).toBeLessThanOrEqual(1e-4));
    await host.dispose();
  });

  it('validates its config, naming the field', async () => {
    const error = (await FerryHost.start({ appDir, config: { plugins: [{ use: plugin, config: { dtype: 'fp16' } }] } }).catch((e: unknown) => e)) as FerryError;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.field).toBe('plugins[0].config.dtype');
  });
});
