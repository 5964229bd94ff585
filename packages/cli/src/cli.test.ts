import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from 'create-ferry-app';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url));
const require = createRequire(import.meta.url);

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
  const oclifCore = dirname(require.resolve('@oclif/core/package.json'));
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

/** A template from the repository's templates/ scaffolded into a temp folder, its dependencies linked to the workspace. */
async function scaffold(template: string): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), `ferry-graph-${template}-`)), 'app');
  return (await createApp({ dir, name: `graph-${template}`, template })).dir;
}

/** The scaffolded app's own tsc finds nothing wrong. */
function expectTypeChecks(app: string): void {
  const tsc = spawnSync(join(app, 'node_modules/.bin/tsc'), ['--noEmit', '-p', app], { cwd: app, encoding: 'utf8' });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
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

  it('graph draws the pipeline a customer-service app builds in its own code, with its steps, after the plugins\' ones', async () => {
    const app = await scaffold('customer-service');
    const graph = ferry(['graph'], app);
    expect(graph.stderr).toBe('');
    expect(graph.code).toBe(0);
    expect(graph.stdout).toMatch(/^flowchart LR\n {2}subgraph p0\["rag\.answer \(@ferry\/plugin-rag\)"\]\n/);
    expect(graph.stdout).toContain(
      [
        '  subgraph p1["support.chat (src/chat/chat-pipeline.ts)"]',
        '    p1s0["check<br/><i>guard</i>"]',
        '    p1s1["recall"]',
        '    p1s0 --> p1s1',
        '    p1s2["classify"]',
        '    p1s1 --> p1s2',
        '    p1s3["handle"]',
        '    p1s2 --> p1s3',
        '    p1s4["redact"]',
        '    p1s3 --> p1s4',
        '    p1s5["record"]',
        '    p1s4 --> p1s5',
        '  end\n',
      ].join('\n'),
    );
    expect(graph.stdout.match(/subgraph/g)).toHaveLength(2);
  });

  it('add step inserts into the customer-service pipeline by the name graph shows, in place, and the app still type-checks', async () => {
    const app = await scaffold('customer-service');
    const chatBefore = readFileSync(join(app, 'src/chat/chat-pipeline.ts'), 'utf8');
    const add = ferry(['add', 'step', 'audit', '--pipeline', 'support.chat', '--after', 'classify'], app);
    expect(add.stderr).toBe('');
    expect(add.stdout).toBe('changed: src/steps/audit-step.ts, src/chat/chat-pipeline.ts\n');
    expect(readFileSync(join(app, 'src/chat/chat-pipeline.ts'), 'utf8')).toBe(
      chatBefore
        .replace("from './chat-schemas.js';\n", "from './chat-schemas.js';\nimport { auditStep } from '../steps/audit-step.js';\n")
        .replace('classify, handle,', 'classify, auditStep(classify.output), handle,'),
    );
    const graph = ferry(['graph'], app);
    expect(graph.code).toBe(0);
    expect(graph.stdout).toContain(['    p1s2["classify"]', '    p1s1 --> p1s2', '    p1s3["audit"]', '    p1s2 --> p1s3', '    p1s4["handle"]', '    p1s3 --> p1s4'].join('\n'));
    expectTypeChecks(app);

    expect(ferry(['add', 'step', 'audit', '--pipeline', 'support.chat', '--after', 'classify'], app).stdout).toBe('nothing to change: already there\n');
    const missing = ferry(['add', 'step', 'review', '--pipeline', 'chatPipeline'], app);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/the app builds[\s›]+support\.chat/);
    expect(readdirSync(join(app, 'src/steps'))).toEqual(['audit-step.ts']);
  }, 120_000);

  it('add route registers a new route after the knowledge-base app\'s last one, the app still type-checks, and a second run changes nothing', async () => {
    const app = await scaffold('knowledge-base');
    const appBefore = readFileSync(join(app, 'src/app.ts'), 'utf8');
    const add = ferry(['add', 'route', 'order-status'], app);
    expect(add.stderr).toBe('');
    expect(add.stdout).toBe('changed: src/routes/order-status-route.ts, src/app.ts\n');
    expect(readFileSync(join(app, 'src/app.ts'), 'utf8')).toBe(
      appBefore
        .replace("from './routes/source-route.js';\n", "from './routes/source-route.js';\nimport { orderStatusRoute } from './routes/order-status-route.js';\n")
        .replace('  server.route(ingestRoute(rag));\n', '  server.route(ingestRoute(rag));\n  server.route(orderStatusRoute);\n'),
    );
    expectTypeChecks(app);
    expect(ferry(['add', 'route', 'order-status'], app).stdout).toBe('nothing to change: already there\n');
  }, 120_000);

  it('graph of the knowledge-base and ad-generator apps draws what their plugins register, their code building none', async () => {
    const kb = ferry(['graph'], await scaffold('knowledge-base'));
    expect(kb.code).toBe(0);
    expect(kb.stdout).toMatch(/^flowchart LR\n {2}subgraph p0\["rag\.answer \(@ferry\/plugin-rag\)"\]\n {4}p0s0\["[^"]+"\]\n {2}end\n$/);
    const ads = ferry(['graph'], await scaffold('ad-generator'));
    expect(ads.code).toBe(0);
    expect(ads.stdout).toBe('flowchart LR\n  empty["no pipelines"]\n');
  });

  it('graph draws a pipeline the app both builds and registers in a local plugin once, as its plugin registered it', () => {
    const app = mkdtempSync(join(tmpdir(), 'ferry-graph-local-'));
    for (const dependency of ['@ferry/core', 'zod']) {
      mkdirSync(dirname(join(app, 'node_modules', dependency)), { recursive: true });
      symlinkSync(realpathSync(dirname(require.resolve(`${dependency}/package.json`))), join(app, 'node_modules', dependency));
    }
    mkdirSync(join(app, 'src'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'graph-local', private: true, type: 'module' }));
    writeFileSync(join(app, 'ferry.config.json'), JSON.stringify({ plugins: ['./src/greet-plugin.ts'] }));
    writeFileSync(
      join(app, 'src', 'steps.ts'),
      `import { defineStep } from '@ferry/core';
       import { z } from 'zod';
       export const trim = defineStep({ name: 'trim', input: z.string(), output: z.string(), run: (s) => s.trim() });
       export const shout = defineStep({ name: 'shout', input: z.string(), output: z.string(), run: (s) => s.toUpperCase() });`,
    );
    writeFileSync(
      join(app, 'src', 'greet-plugin.ts'),
      `import { definePlugin, pipeline, retry } from '@ferry/core';
       import { shout, trim } from './steps.js';
       export const plugin = definePlugin({ name: 'app-greetings', version: '1.0.0', setup(ctx) { ctx.pipelines.register(pipeline('hello.greet', trim, shout.use(retry()))); } });`,
    );
    writeFileSync(join(app, 'src', 'report.ts'), `import { pipeline } from '@ferry/core';
import { trim } from './steps.js';
export const report = pipeline('hello.report', trim);
`);
    const graph = ferry(['graph'], app);
    expect(graph.stderr).toBe('');
    expect(graph.stdout).toBe(
      [
        'flowchart LR',
        '  subgraph p0["hello.greet (app-greetings)"]',
        '    p0s0["trim"]',
        '    p0s1["shout<br/><i>retry</i>"]',
        '    p0s0 --> p0s1',
        '  end',
        '  subgraph p1["hello.report (src/report.ts)"]',
        '    p1s0["trim"]',
        '  end',
        '',
      ].join('\n'),
    );
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
