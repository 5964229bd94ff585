import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url));

function ferry(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FERRY_CONFIG: '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** An app folder with one plugin package that ships an oclif command, installed as a real dependency. */
function appWithCommandPlugin(): string {
  const app = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
  const pkg = join(app, 'node_modules', 'ferry-plugin-hello');
  mkdirSync(pkg, { recursive: true });
  mkdirSync(join(app, 'node_modules', '@oclif'), { recursive: true });
  const oclifCore = dirname(createRequire(import.meta.url).resolve('@oclif/core/package.json'));
  symlinkSync(realpathSync(oclifCore), join(app, 'node_modules', '@oclif', 'core'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fixture-app', private: true, dependencies: { 'ferry-plugin-hello': '1.0.0' } }));
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: 'ferry-plugin-hello',
      version: '1.0.0',
      type: 'module',
      exports: { '.': './index.js' },
      oclif: { commands: { strategy: 'explicit', target: './commands.js', identifier: 'COMMANDS' } },
    }),
  );
  writeFileSync(
    join(pkg, 'index.js'),
    `export const plugin = { name: 'ferry-plugin-hello', version: '1.0.0', description: 'greets',
      setup(ctx) { ctx.pipelines.register({ name: 'hello.greet', run: async (n) => 'hi ' + n }); } };`,
  );
  writeFileSync(
    join(pkg, 'commands.js'),
    `import { Command } from '@oclif/core';
     class Hello extends Command { static description = 'say hello from a plugin'; async run() { await this.parse(Hello); this.log('hello from ferry-plugin-hello'); } }
     export const COMMANDS = { hello: Hello };`,
  );
  writeFileSync(join(app, 'ferry.config.json'), JSON.stringify({ name: 'fixture', plugins: ['ferry-plugin-hello'] }));
  return app;
}

describe('ferry CLI', () => {
  it('lists the built-in plugin and the kernel backends in an empty folder', () => {
    const { code, stdout } = ferry(['plugins'], mkdtempSync(join(tmpdir(), 'ferry-empty-')));
    expect(code).toBe(0);
    expect(stdout).toMatch(/@ferry\/core \d+\.\d+\.\d+ {2}\(built-in\)/);
    expect(stdout).toContain('model providers: offline, openai');
    expect(stdout).toMatch(/js \(priority 0, available\): 24 kernels/);
  });

  it('discovers commands shipped by a plugin package and reports what the plugin registered', () => {
    const app = appWithCommandPlugin();
    const hello = ferry(['hello'], app);
    expect(hello.stderr).toBe('');
    expect(hello.stdout.trim()).toBe('hello from ferry-plugin-hello');
    const help = ferry(['--help'], app);
    expect(help.stdout).toContain('say hello from a plugin');
    const plugins = ferry(['plugins', '--json'], app);
    expect(plugins.code).toBe(0);
    const report = JSON.parse(plugins.stdout) as { plugins: Array<{ name: string; registered: { pipelines: string[] }; commands: string[] }> };
    const helloPlugin = report.plugins.find((p) => p.name === 'ferry-plugin-hello');
    expect(helloPlugin?.registered.pipelines).toEqual(['hello.greet']);
    expect(helloPlugin?.commands).toEqual(['hello']);
  });

  it('graph draws the pipelines the plugins registered as Mermaid', () => {
    const app = appWithCommandPlugin();
    const graph = ferry(['graph'], app);
    expect(graph.code).toBe(0);
    expect(graph.stdout).toContain('flowchart LR');
    expect(graph.stdout).toContain('subgraph p0["hello.greet (ferry-plugin-hello)"]');
    const out = join(app, 'pipelines.mmd');
    expect(ferry(['graph', '--out', out], app).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(graph.stdout);
  });

  it('doctor reports real state and fails on a broken config with the fix', () => {
    const ok = ferry(['doctor', '--json'], appWithCommandPlugin());
    expect(ok.code).toBe(0);
    const checks = JSON.parse(ok.stdout) as Array<{ name: string; status: string; detail: string }>;
    expect(checks.find((c) => c.name === 'node')?.detail).toBe(`Node ${process.versions.node}`);
    expect(checks.find((c) => c.name === 'config')?.status).toBe('ok');
    expect(checks.find((c) => c.name === 'kernels:js')?.status).toBe('ok');
    expect(checks.map((c) => c.name)).toEqual(expect.arrayContaining(['kernels:native', 'cuda:nvcc', 'cuda:device']));

    const broken = mkdtempSync(join(tmpdir(), 'ferry-broken-'));
    writeFileSync(join(broken, 'ferry.config.json'), JSON.stringify({ plugins: [], models: { chat: 'gpt-4o' } }));
    const bad = ferry(['doctor'], broken);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL\s+config\s+CONFIG_INVALID/);
    expect(bad.stdout).toContain('fix:');
  });

  it('demo answers from the bundled documents with a cited source, offline', () => {
    const { code, stdout } = ferry(['demo', 'How long do I have to request a refund?', '--json'], tmpdir());
    expect(code).toBe(0);
    const answer = JSON.parse(stdout) as { answer: string; finishReason: string; citations: Array<{ documentId: string; quote: string }>; models: Array<{ neural: boolean }> };
    expect(answer.finishReason).toBe('stop');
    expect(answer.answer).toContain('30 days');
    expect(answer.citations[0]?.documentId).toMatch(/^refund-policy\.md#\d+$/);
    expect(answer.models.every((m) => m.neural === false)).toBe(true);
  });

  it('demo answers a Chinese question and says when it does not know', () => {
    const zh = JSON.parse(ferry(['demo', '客服热线的服务时间是什么？', '--json'], tmpdir()).stdout) as { answer: string; citations: Array<{ documentId: string }> };
    expect(zh.answer).toContain('八点');
    expect(zh.citations[0]?.documentId).toMatch(/^customer-service-zh\.md#/);
    const unknown = JSON.parse(ferry(['demo', 'What is the boiling point of mercury?', '--json'], tmpdir()).stdout) as { finishReason: string; citations: unknown[] };
    expect(unknown.finishReason).toBe('no-answer');
    expect(unknown.citations).toEqual([]);
  });

  it('demo writes its trace as a Mermaid chart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-trace-'));
    const { code } = ferry(['demo', '--trace', join(dir, 'trace.mmd')], dir);
    expect(code).toBe(0);
    const chart = readFileSync(join(dir, 'trace.mmd'), 'utf8');
    expect(chart).toMatch(/^gantt/m);
    for (const step of ['load-documents', 'split-passages', 'retrieve', 'answer']) expect(chart).toContain(step);
  });

  it('add refuses a route or step name that is a path, exiting 2 with the fix and writing nothing', () => {
    const base = mkdtempSync(join(tmpdir(), 'ferry-add-'));
    const app = join(base, 'app');
    mkdirSync(join(app, 'src'), { recursive: true });
    for (const args of [['add', 'route', '../../evil'], ['add', 'route', '/etc/evil'], ['add', 'step', '..\\evil', '--pipeline', 'answerPipeline']]) {
      const { code, stderr } = ferry([...args, '--dir', app], base);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(/not a path/);
    }
    expect(readdirSync(base)).toEqual(['app']);
    expect(readdirSync(join(app, 'src'))).toEqual([]);
  });
});
