import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FerryError, isFerryError } from '../errors/ferry-error.js';
import { CORE_VERSION } from '../version.js';
import { definePlugin, type FerryPlugin } from './define-plugin.js';
import { FerryHost } from './plugin-host.js';

function plugin(name: string, extra: Partial<FerryPlugin<unknown, unknown>> = {}, log?: string[]): FerryPlugin<unknown, unknown> {
  return definePlugin<unknown, unknown>({
    name,
    version: '1.0.0',
    setup: (ctx) => {
      log?.push(`setup ${name}`);
      ctx.onDispose(() => {
        log?.push(`dispose ${name}`);
      });
    },
    ...extra,
  });
}

async function startError(plugins: unknown[]): Promise<FerryError> {
  try {
    await FerryHost.start({ config: { plugins: plugins as never } });
  } catch (error) {
    expect(error).toBeInstanceOf(FerryError);
    return error as FerryError;
  }
  throw new Error('expected start to fail');
}

describe('FerryHost plugin ordering', () => {
  it('sets plugins up dependencies first and disposes in reverse', async () => {
    const log: string[] = [];
    const host = await FerryHost.start({
      config: {
        plugins: [
          plugin('app', { requires: { rag: '^1.0.0', prompt: '1.x' } }, log),
          plugin('rag', { requires: { prompt: '>=1.0.0' } }, log),
          plugin('prompt', {}, log),
        ],
      },
    });
    expect(log).toEqual(['setup prompt', 'setup rag', 'setup app']);
    expect(host.plugins.map((p) => p.name)).toEqual(['@ferry/core', 'prompt', 'rag', 'app']);
    await host.dispose();
    expect(log.slice(3)).toEqual(['dispose app', 'dispose rag', 'dispose prompt']);
  });

  it('rejects a version outside the required range, naming plugin, field and fix', async () => {
    const error = await startError([plugin('rag', { requires: { prompt: '^2.0.0' } }), plugin('prompt')]);
    expect(error.code).toBe('PLUGIN_VERSION_MISMATCH');
    expect(error.plugin).toBe('rag');
    expect(error.field).toBe('plugins[0].requires.prompt');
    expect(error.message).toContain('1.0.0');
    expect(error.hint).toMatch(/satisfies \^2\.0\.0/);
  });

  it('rejects a missing dependency', async () => {
    const error = await startError([plugin('rag', { requires: { prompt: '^1.0.0' } })]);
    expect(error.code).toBe('PLUGIN_MISSING_DEPENDENCY');
    expect(error.plugin).toBe('rag');
    expect(error.hint).toContain('Add "prompt"');
  });

  it('rejects duplicates, naming both sources', async () => {
    const error = await startError([plugin('rag'), plugin('rag')]);
    expect(error.code).toBe('PLUGIN_DUPLICATE');
    expect(error.field).toBe('plugins[1].name');
    expect(error.message).toContain('loaded twice');
  });

  it('rejects a plugin named like the built-in core', async () => {
    const error = await startError([plugin('@ferry/core')]);
    expect(error.code).toBe('PLUGIN_DUPLICATE');
  });

  it('rejects cycles and prints the cycle', async () => {
    const error = await startError([
      plugin('a', { requires: { b: '*' } }),
      plugin('b', { requires: { c: '*' } }),
      plugin('c', { requires: { a: '*' } }),
    ]);
    expect(error.code).toBe('PLUGIN_CYCLE');
    expect(error.message).toContain('a -> b -> c -> a');
    expect(error.hint).toMatch(/Break the cycle/);
  });

  it('checks the core version range of each plugin', async () => {
    const error = await startError([plugin('future', { core: '^9.0.0' })]);
    expect(error.code).toBe('CORE_VERSION_MISMATCH');
    expect(error.message).toContain(CORE_VERSION);
    expect(error.field).toBe('plugins[0].core');
  });

  it('rejects a malformed plugin object with the field that is wrong', async () => {
    const error = await startError([{ name: 'bad', version: 'one', setup: () => undefined }]);
    expect(error.code).toBe('PLUGIN_INVALID');
    expect(error.field).toBe('plugins[0].version');
    expect(error.message).toContain('semver');
  });
});

describe('FerryHost plugin config', () => {
  const withConfig = definePlugin({
    name: 'rag',
    version: '1.0.0',
    configSchema: z.object({ chunkSize: z.number().int().positive().default(512), store: z.enum(['embedded', 'chroma']) }),
    setup: (ctx) => ({ api: { chunkSize: ctx.config.chunkSize, store: ctx.config.store } }),
  });

  it('validates and defaults plugin config, and shares a plugin API with dependents', async () => {
    let seen: unknown;
    const user = plugin('user', {
      requires: { rag: '^1' },
      setup: (ctx) => {
        seen = ctx.use('rag');
      },
    });
    const host = await FerryHost.start({ config: { plugins: [{ use: withConfig, config: { store: 'chroma' } }, user] } });
    expect(seen).toEqual({ chunkSize: 512, store: 'chroma' });
    expect(host.api('rag')).toBe(seen);
    try {
      host.api('multimodal');
      expect.unreachable();
    } catch (error) {
      expect(isFerryError(error) && error.hint).toContain('loaded now: @ferry/core, rag, user');
    }
    await host.dispose();
  });

  it('takes the [plugin, config] shorthand', async () => {
    const host = await FerryHost.start({ config: { plugins: [[withConfig, { store: 'chroma' }]] } });
    expect(host.api('rag')).toEqual({ chunkSize: 512, store: 'chroma' });
    await host.dispose();
  });

  it('names the plugin and the config field when config is wrong', async () => {
    const error = await startError([{ use: withConfig, config: { chunkSize: -3, store: 'embedded' } }]);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.plugin).toBe('rag');
    expect(error.field).toBe('plugins[0].config.chunkSize');
    expect(error.hint).toContain('plugins[0].config.chunkSize');
  });

  it('refuses ctx.use of a plugin that is not required', async () => {
    const error = await startError([withConfig, plugin('sneaky', { setup: (ctx) => void ctx.use('rag') })].map((p, i) => (i === 0 ? { use: p, config: { store: 'embedded' } } : p)));
    expect(error.code).toBe('PLUGIN_MISSING_DEPENDENCY');
    expect(error.plugin).toBe('sneaky');
  });

  it('wraps a failing setup, disposing what was already set up', async () => {
    const log: string[] = [];
    const error = await startError([
      plugin('ok', {}, log),
      plugin('broken', { requires: { ok: '*' }, setup: () => Promise.reject(new Error('database unreachable')) }),
    ]);
    expect(error.code).toBe('PLUGIN_SETUP_FAILED');
    expect(error.plugin).toBe('broken');
    expect(error.message).toContain('database unreachable');
    expect(log).toEqual(['setup ok', 'dispose ok']);
  });

  it('records what each plugin registered', async () => {
    const host = await FerryHost.start({
      config: {
        plugins: [
          plugin('registers', {
            setup: (ctx) => {
              ctx.pipelines.register({ name: 'echo', run: async (input) => input });
            },
          }),
        ],
      },
    });
    expect(host.plugins.find((p) => p.name === '@ferry/core')?.registered.providers).toEqual(['offline', 'openai']);
    expect(host.plugins.find((p) => p.name === 'registers')?.registered.pipelines).toEqual(['echo']);
    await expect(host.pipelines.get('echo').run('hi')).resolves.toBe('hi');
    await host.dispose();
  });
});

describe('FerryHost config files', () => {
  function appDir(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-host-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  const pluginModule = `export const plugin = {
    name: 'local', version: '0.2.0',
    setup(ctx) { ctx.pipelines.register({ name: 'local.twice', run: async (n) => n * 2 }); },
  };`;

  it('loads a JSON config with a plugin module path relative to it, and model aliases', async () => {
    const dir = appDir({
      'local-plugin.mjs': pluginModule,
      'ferry.config.json': JSON.stringify({ name: 'demo', plugins: ['./local-plugin.mjs'], models: { embedder: 'offline:hash-64' } }),
    });
    const host = await FerryHost.start({ config: dir });
    expect(host.configPath).toBe(join(dir, 'ferry.config.json'));
    expect(host.plugins.map((p) => `${p.name}@${p.version}`)).toContain('local@0.2.0');
    await expect(host.pipelines.get('local.twice').run(21)).resolves.toBe(42);
    const embedder = await host.model('embedding', 'embedder');
    expect(embedder.metadata.dims).toBe(64);
    await host.dispose();
  });

  it('finds only the config\'s own aliases, not Object.prototype\'s', async () => {
    const host = await FerryHost.start({ config: { models: { embedder: 'offline:hash-64' } } });
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const error = await host.model('embedding', name).catch((e: unknown) => e);
      expect(isFerryError(error, 'MODEL_NOT_FOUND'), name).toBe(true);
      expect((error as FerryError).field).toBe(`models.${name}`);
    }
    await host.dispose();
  });

  it('loads a TypeScript config on plain Node', async () => {
    const dir = appDir({
      'local-plugin.mjs': pluginModule,
      'ferry.config.ts': `const name: string = 'ts-app';\nexport const config = { name, plugins: ['./local-plugin.mjs'] };\n`,
    });
    const host = await FerryHost.start({ config: dir });
    expect(host.config.name).toBe('ts-app');
    await host.dispose();
  });

  it('reports an unknown config key with its path', async () => {
    const dir = appDir({ 'ferry.config.json': JSON.stringify({ plugins: [], modles: {} }) });
    const error = await FerryHost.start({ config: dir }).catch((e: unknown) => e as FerryError);
    expect(error).toBeInstanceOf(FerryError);
    expect((error as FerryError).code).toBe('CONFIG_INVALID');
    expect((error as FerryError).message).toContain('modles');
  });

  it('reports a bad model reference with its alias path', async () => {
    const error = await FerryHost.start({ config: { models: { chat: 'gpt-4o' } } }).catch((e: unknown) => e as FerryError);
    expect((error as FerryError).code).toBe('CONFIG_INVALID');
    expect((error as FerryError).field).toBe('models.chat');
    expect((error as FerryError).message).toContain('provider:model');
  });

  it('reports broken JSON and a missing config clearly', async () => {
    const broken = appDir({ 'ferry.config.json': '{ "plugins": [], }' });
    await expect(FerryHost.start({ config: broken })).rejects.toThrow(/not valid JSON/);
    const empty = appDir({});
    await expect(FerryHost.start({ config: empty })).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' });
  });

  it('reports a plugin module that cannot be found', async () => {
    const dir = appDir({ 'ferry.config.json': JSON.stringify({ plugins: ['@acme/not-installed'] }) });
    await expect(FerryHost.start({ config: dir })).rejects.toMatchObject({ code: 'PLUGIN_LOAD_FAILED', field: 'plugins[0]' });
  });
});
