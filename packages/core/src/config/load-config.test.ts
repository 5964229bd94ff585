import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error.js';
import { findConfigFile, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('finds a config beside package.json, and one in src/ with the package folder as the app root', async () => {
    const app = await mkdtemp(join(tmpdir(), 'ferry-config-'));
    await writeFile(join(app, 'package.json'), '{"name":"app"}');
    await mkdir(join(app, 'src'));
    await writeFile(join(app, 'src', 'ferry.config.ts'), "export const config = { plugins: [], models: { chat: 'offline:extractive' } };\n");
    expect(findConfigFile(app)).toBe(join(app, 'src', 'ferry.config.ts'));
    const loaded = await loadConfig(app);
    expect(loaded.appDir).toBe(app);
    expect(loaded.config.models).toEqual({ chat: 'offline:extractive' });

    await writeFile(join(app, 'ferry.config.json'), '{"plugins":[]}');
    expect(findConfigFile(app)).toBe(join(app, 'ferry.config.json'));
  });

  it('keeps a src/ config without a package.json above it rooted where it is', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-config-'));
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'src', 'ferry.config.json'), '{"plugins":[]}');
    expect((await loadConfig(dir)).appDir).toBe(join(dir, 'src'));
  });

  it('says where it looked when there is no config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-config-'));
    try {
      await loadConfig(dir);
      expect.unreachable();
    } catch (error) {
      expect(isFerryError(error) && error.code).toBe('CONFIG_NOT_FOUND');
    }
  });
});
