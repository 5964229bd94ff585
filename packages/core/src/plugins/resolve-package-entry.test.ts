import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FerryHost } from './plugin-host.js';
import { resolvePackageEntry } from './resolve-package-entry.js';

/** An app whose node_modules holds an ESM-only plugin package (exports with only an `import` condition). */
function appWithEsmOnlyPlugin(): string {
  const app = mkdtempSync(join(tmpdir(), 'ferry-resolve-'));
  const pkg = join(app, 'node_modules', '@acme', 'esm-plugin');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: '@acme/esm-plugin', type: 'module', exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './extra': './dist/extra.js' } }),
  );
  writeFileSync(join(pkg, 'dist', 'index.js'), "export const plugin = { name: '@acme/esm-plugin', version: '1.0.0', setup() { return { api: { ok: true } }; } };\n");
  writeFileSync(join(pkg, 'dist', 'extra.js'), 'export const extra = 1;\n');
  mkdirSync(join(app, 'src'));
  return app;
}

describe('resolvePackageEntry', () => {
  it('resolves import-only exports and subpaths from a nested folder', () => {
    const app = appWithEsmOnlyPlugin();
    expect(resolvePackageEntry('@acme/esm-plugin', join(app, 'src'))).toBe(join(app, 'node_modules/@acme/esm-plugin/dist/index.js'));
    expect(resolvePackageEntry('@acme/esm-plugin/extra', app)).toBe(join(app, 'node_modules/@acme/esm-plugin/dist/extra.js'));
    expect(resolvePackageEntry('@acme/missing', app)).toBeUndefined();
  });

  it('lets a config in src/ load an ESM-only plugin package by name', async () => {
    const app = appWithEsmOnlyPlugin();
    writeFileSync(join(app, 'package.json'), '{"name":"app","type":"module"}');
    writeFileSync(join(app, 'src', 'ferry.config.ts'), "export const config = { plugins: ['@acme/esm-plugin'] };\n");
    const host = await FerryHost.start({ config: app });
    expect(host.api('@acme/esm-plugin')).toEqual({ ok: true });
    await host.dispose();
  });
});
