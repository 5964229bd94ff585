import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ferryErrorOf as failure } from '@ferry/core/testing';
import { describe, expect, it } from 'vitest';
import { createApp } from '../create-app.js';
import { findAppPipelines } from '../scan/app-pipelines.js';
import { addPlugin, addRoute, addStep } from './add-to-app.js';

const run = promisify(execFile);
const templatesDir = fileURLToPath(new URL('../__fixtures__/templates', import.meta.url));

describe('addPlugin on a generated app', () => {
  it('changes only the intended lines, installs the plugin, type-checks, and a second run is a no-op', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ferry-add-')), 'app');
    await createApp({ dir, name: 'app', template: 'hello' }, { templatesDir });
    const configBefore = await readFile(join(dir, 'src/ferry.config.ts'), 'utf8');
    const packageBefore = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));

    expect(await addPlugin(dir, '@ferry/plugin-prompt')).toEqual({ changed: ['src/ferry.config.ts', 'package.json'] });
    const configAfter = await readFile(join(dir, 'src/ferry.config.ts'), 'utf8');
    expect(configAfter).toBe(configBefore.replace('plugins: [],', "plugins: ['@ferry/plugin-prompt'],"));
    const packageAfter = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(packageAfter).toEqual({ ...packageBefore, dependencies: { ...packageBefore.dependencies, '@ferry/plugin-prompt': '^0.1.0' } });
    expect(existsSync(join(dir, 'node_modules/@ferry/plugin-prompt/package.json'))).toBe(true);
    await run(join(dir, 'node_modules/.bin/tsc'), ['--noEmit', '-p', dir], { cwd: dir });

    expect(await addPlugin(dir, '@ferry/plugin-prompt')).toEqual({ changed: [] });
    expect(await readFile(join(dir, 'src/ferry.config.ts'), 'utf8')).toBe(configAfter);
  }, 60_000);
});

describe('addRoute and addStep on a generated app', () => {
  it('write the new file, register it, keep the app type-checking and passing its tests, and are idempotent', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ferry-add-')), 'app');
    await createApp({ dir, name: 'app', template: 'hello' }, { templatesDir });
    const appBefore = await readFile(join(dir, 'src/app.ts'), 'utf8');

    expect(await addRoute(dir, 'Order Status')).toEqual({ changed: ['src/routes/order-status-route.ts', 'src/app.ts'] });
    expect(await readFile(join(dir, 'src/app.ts'), 'utf8')).toBe(
      appBefore
        .replace("import { greetRoute } from './routes/greet-route.js';\n", "import { greetRoute } from './routes/greet-route.js';\nimport { orderStatusRoute } from './routes/order-status-route.js';\n")
        .replace('  server.route(greetRoute); // says hello\n', '  server.route(greetRoute); // says hello\n  server.route(orderStatusRoute);\n'),
    );
    expect(await addStep(dir, 'audit', { pipeline: 'hello.greet', after: 'trim' })).toEqual({
      changed: ['src/steps/audit-step.ts', 'src/pipelines.ts'],
    });
    expect(await readFile(join(dir, 'src/pipelines.ts'), 'utf8')).toContain("pipeline('hello.greet', trimStep, auditStep(trimStep.output), shoutStep);");
    await run(join(dir, 'node_modules/.bin/tsc'), ['--noEmit', '-p', dir], { cwd: dir });

    const snapshot = await Promise.all(['src/app.ts', 'src/pipelines.ts'].map((f) => readFile(join(dir, f), 'utf8')));
    expect(await addRoute(dir, 'order-status')).toEqual({ changed: [] });
    expect(await addStep(dir, 'audit', { pipeline: 'greetPipeline', after: 'trimStep' })).toEqual({ changed: [] });
    expect(await Promise.all(['src/app.ts', 'src/pipelines.ts'].map((f) => readFile(join(dir, f), 'utf8')))).toEqual(snapshot);

    const { stdout } = await run(join(dir, 'node_modules/.bin/vitest'), ['run'], { cwd: dir });
    expect(stdout).toMatch(/passed/);
  }, 120_000);
});

describe('addStep by the pipeline names `ferry graph` shows', () => {
  it('inserts into a pipeline a function builds with a renamed import and into a definePipeline steps array, and the app still type-checks', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ferry-add-')), 'app');
    await createApp({ dir, name: 'app', template: 'hello' }, { templatesDir });
    const chat = `import { definePipeline, pipeline as build } from '@ferry/core';
import { shoutStep, trimStep } from '../steps/text-steps.js';

/** Built and returned by a function, as an app builds one from its services: no variable holds it. */
export function chatPipeline() {
  const greet = trimStep;
  return build('hello.chat', greet, shoutStep);
}

export const reviewed = definePipeline({
  name: 'hello.reviewed',
  steps: [
    trimStep,
    shoutStep,
  ],
});
`;
    await mkdir(join(dir, 'src/chat'));
    await writeFile(join(dir, 'src/chat/chat-pipelines.ts'), chat);
    expect(await addStep(dir, 'audit', { pipeline: 'hello.reviewed', after: 'trim' })).toEqual({ changed: ['src/steps/audit-step.ts', 'src/chat/chat-pipelines.ts'] });
    expect(await addStep(dir, 'check', { pipeline: 'hello.chat', after: 'greet' })).toEqual({ changed: ['src/steps/check-step.ts', 'src/chat/chat-pipelines.ts'] });
    expect(await readFile(join(dir, 'src/chat/chat-pipelines.ts'), 'utf8')).toBe(
      chat
        .replace("from '../steps/text-steps.js';\n", "from '../steps/text-steps.js';\nimport { auditStep } from '../steps/audit-step.js';\nimport { checkStep } from '../steps/check-step.js';\n")
        .replace('greet, shoutStep);', 'greet, checkStep(greet.output), shoutStep);')
        .replace('    trimStep,\n', '    trimStep,\n    auditStep(trimStep.output),\n'),
    );
    expect(findAppPipelines(dir).map((p) => [p.name, p.steps?.map((step) => step.name)])).toEqual([
      ['hello.chat', ['trim', 'check', 'shout']],
      ['hello.reviewed', ['trim', 'audit', 'shout']],
      ['hello.greet', ['trim', 'shout']],
    ]);
    await run(join(dir, 'node_modules/.bin/tsc'), ['--noEmit', '-p', dir], { cwd: dir });
    expect(await addStep(dir, 'audit', { pipeline: 'hello.reviewed', after: 'trim' })).toEqual({ changed: [] });
  }, 60_000);
});

describe('ferry add with names that are paths', () => {
  it('refuses route, step and plugin names that are paths, changing nothing', async () => {
    const base = await mkdtemp(join(tmpdir(), 'ferry-add-'));
    const dir = join(base, 'app');
    await createApp({ dir, name: 'app', template: 'hello', install: false }, { templatesDir });
    const snapshot = async () => Promise.all(['src/app.ts', 'src/pipelines.ts', 'src/ferry.config.ts', 'package.json'].map((f) => readFile(join(dir, f), 'utf8')));
    const before = await snapshot();
    const routesBefore = await readdir(join(dir, 'src', 'routes'));

    for (const name of ['../../evil', '/etc/evil', '..\\evil', 'C:\\evil', 'routes/../../evil', '..']) {
      expect(await failure(addRoute(dir, name)), name).toMatchObject({ code: 'INPUT_INVALID', field: 'name', message: expect.stringContaining('not a path') });
      expect(await failure(addStep(dir, name, { pipeline: 'greetPipeline' })), name).toMatchObject({ code: 'INPUT_INVALID', field: 'name' });
    }
    for (const plugin of ['x/../../../evil', '@scope/../../evil', 'evil\\..\\..\\x']) {
      expect(await failure(addPlugin(dir, plugin, { install: false })), plugin).toMatchObject({ code: 'INPUT_INVALID', field: 'plugin' });
    }

    expect(await snapshot()).toEqual(before);
    expect(await readdir(join(dir, 'src', 'routes'))).toEqual(routesBefore);
    expect(existsSync(join(dir, 'src', 'steps', 'evil-step.ts'))).toBe(false);
    expect((await readdir(base)).sort()).toEqual(['app']);
  });

  it('refuses a route when the app has no place that registers routes, before writing the route file', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ferry-add-')), 'app');
    await createApp({ dir, name: 'app', template: 'hello', install: false }, { templatesDir });
    // The app's own server, not @ferry/server's: routes registered on it would never be served.
    const app = "const createFerryServer = () => ({ route: (definition: unknown) => definition });\nexport const server = createFerryServer();\n";
    await writeFile(join(dir, 'src/app.ts'), app);
    expect(await failure(addRoute(dir, 'order-status'))).toMatchObject({ code: 'INPUT_INVALID', field: 'src', hint: expect.stringContaining('server.route(orderStatusRoute)') });
    expect(await readFile(join(dir, 'src/app.ts'), 'utf8')).toBe(app);
    expect(await readdir(join(dir, 'src', 'routes'))).toEqual(['greet-route.ts']);
  });

  it('still refuses a name without a leading letter, naming the field', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ferry-add-')), 'app');
    await createApp({ dir, name: 'app', template: 'hello', install: false }, { templatesDir });
    expect(await failure(addRoute(dir, '42'))).toMatchObject({ code: 'INPUT_INVALID', field: 'name', message: expect.stringContaining('starting with a letter') });
    expect(await failure(addRoute(dir, '  '))).toMatchObject({ code: 'INPUT_INVALID', field: 'name' });
  });
});

describe('ferry add step --after', () => {
  it('refuses an --after that is not a step name, naming the field and writing nothing', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ferry-add-')), 'app');
    await createApp({ dir, name: 'app', template: 'hello', install: false }, { templatesDir });
    const pipelines = await readFile(join(dir, 'src/pipelines.ts'), 'utf8');
    for (const after of ['a.*', 'x|trimStep', 'trimStep(', '../trimStep', '', '  ', '1trimStep']) {
      expect(await failure(addStep(dir, 'audit', { pipeline: 'greetPipeline', after })), after).toMatchObject({ code: 'INPUT_INVALID', field: 'after' });
    }
    expect(await readFile(join(dir, 'src/pipelines.ts'), 'utf8')).toBe(pipelines);
    expect(existsSync(join(dir, 'src', 'steps', 'audit-step.ts'))).toBe(false);
  });

  it('refuses a pipeline the app does not build before writing the step file, listing those it does', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ferry-add-')), 'app');
    await createApp({ dir, name: 'app', template: 'hello', install: false }, { templatesDir });
    const pipelines = await readFile(join(dir, 'src/pipelines.ts'), 'utf8');
    for (const pipeline of ['hello.missing', 'hello', 'pipeline', 'shoutStep']) {
      expect(await failure(addStep(dir, 'audit', { pipeline })), pipeline).toMatchObject({ code: 'INPUT_INVALID', field: 'pipeline', hint: expect.stringContaining('builds hello.greet') });
    }
    expect(await readFile(join(dir, 'src/pipelines.ts'), 'utf8')).toBe(pipelines);
    expect(existsSync(join(dir, 'src', 'steps', 'audit-step.ts'))).toBe(false);
  });

  it('refuses an --after that names no step of the pipeline before writing the step file', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ferry-add-')), 'app');
    await createApp({ dir, name: 'app', template: 'hello', install: false }, { templatesDir });
    const pipelines = await readFile(join(dir, 'src/pipelines.ts'), 'utf8');
    expect(await failure(addStep(dir, 'audit', { pipeline: 'greetPipeline', after: 'missingStep' }))).toMatchObject({ message: expect.stringContaining('missingStep') });
    expect(await readFile(join(dir, 'src/pipelines.ts'), 'utf8')).toBe(pipelines);
    expect(existsSync(join(dir, 'src', 'steps', 'audit-step.ts'))).toBe(false);
  });
});
