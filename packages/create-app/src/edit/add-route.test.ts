import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isFerryError } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { appSourceFiles } from '../scan/app-source-files.js';
import { addRouteToApp } from './add-route.js';

const APP = `import { FerryHost } from '@ferry/core';
import { createFerryServer, type FerryServer } from '@ferry/server';
import { chatRoute } from './routes/chat-route.js';

/** Builds the HTTP app; main.ts starts it. */
export async function buildApp(): Promise<FerryServer> {
  const host = await FerryHost.start({ config: new URL('./ferry.config.ts', import.meta.url).pathname });
  const server = await createFerryServer({ host });
  server.route(chatRoute); // the field guide's /api/chat
  // our own: keep this comment
  return server;
}
`;

/** An app folder holding `files` (paths relative to it). */
function appWith(files: Record<string, string>): string {
  const app = mkdtempSync(join(tmpdir(), 'ferry-add-route-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(app, path)), { recursive: true });
    writeFileSync(join(app, path), content);
  }
  return app;
}

/** Adds statusRoute (src/routes/status-route.ts) to the app; `text` is the file changed, or null when none was. */
function addStatus(files: Record<string, string>) {
  const app = appWith(files);
  const file = addRouteToApp(appSourceFiles(app), { name: 'statusRoute', module: join(app, 'src/routes/status-route.js') });
  return { file: file?.getFilePath().slice(app.length + 1) ?? null, text: file?.getFullText() ?? null };
}

function refusal(act: () => unknown) {
  try {
    act();
  } catch (error) {
    if (isFerryError(error)) return { code: error.code, field: error.field, message: error.message, hint: error.hint };
    throw error;
  }
  return expect.unreachable('it did not refuse');
}

function edit(source: string) {
  const { text } = addStatus({ 'src/app.ts': source });
  return { changed: text !== null, text: text ?? source };
}

describe('addRouteToApp', () => {
  it('imports the route and registers it after the last registration, touching nothing else', () => {
    const { changed, text } = edit(APP);
    expect(changed).toBe(true);
    expect(text).toBe(
      APP.replace(
        "import { chatRoute } from './routes/chat-route.js';\n",
        "import { chatRoute } from './routes/chat-route.js';\nimport { statusRoute } from './routes/status-route.js';\n",
      ).replace("  server.route(chatRoute); // the field guide's /api/chat\n", "  server.route(chatRoute); // the field guide's /api/chat\n  server.route(statusRoute);\n"),
    );
  });

  it('is idempotent', () => {
    const once = edit(APP).text;
    expect(edit(once)).toEqual({ changed: false, text: once });
  });

  it('registers right after the server is created when there is no route yet', () => {
    const source = APP.replace("  server.route(chatRoute); // the field guide's /api/chat\n", '').replace("import { chatRoute } from './routes/chat-route.js';\n", '');
    const { text } = edit(source);
    expect(text).toContain('  const server = await createFerryServer({ host });\n  server.route(statusRoute);\n  // our own');
  });

  it('explains the manual change when buildApp or the server is gone', () => {
    for (const source of ['export function start() {}\n', 'export async function buildApp() {\n  return makeServer();\n}\n']) {
      expect(refusal(() => edit(source)), source).toMatchObject({
        code: 'INPUT_INVALID',
        field: 'src',
        message: expect.stringContaining('createFerryServer from @ferry/server'),
        hint: expect.stringContaining('server.route(statusRoute)'),
      });
    }
  });

  it('knows createFerryServer under a renamed import, and not the app\'s own function of that name', () => {
    const renamed = `import { createFerryServer as makeServer } from '@ferry/server';

export const app = await makeServer({ auth: false });
`;
    expect(edit(renamed).text).toBe(`import { createFerryServer as makeServer } from '@ferry/server';
import { statusRoute } from './routes/status-route.js';

export const app = await makeServer({ auth: false });
app.route(statusRoute);
`);
    const own = `function createFerryServer() { return { route(definition: unknown) { return definition; } }; }

export const server = createFerryServer();
server.route('chat');
`;
    expect(() => edit(own)).toThrow(/no place to register routes/);
  });

  it('knows the server through a namespace import, leaving other route methods (fastify\'s, a router\'s) alone', () => {
    const namespaced = `import * as http from '@ferry/server';
import { router } from './router.js';

export async function serve(): Promise<http.FerryServer> {
  const api = await http.createFerryServer({ auth: false });
  api.route(router.route('a'));
  api.fastify.route({ method: 'GET', url: '/raw', handler: () => 'raw' });
  router.route('b');
  return api;
}
`;
    const { file, text } = addStatus({ 'src/serve.ts': namespaced, 'src/router.ts': 'export const router = { route: (name: string) => name };\n' });
    expect(file).toBe('src/serve.ts');
    expect(text).toBe(
      namespaced
        .replace("import { router } from './router.js';\n", "import { router } from './router.js';\nimport { statusRoute } from './routes/status-route.js';\n")
        .replace("  api.route(router.route('a'));\n", "  api.route(router.route('a'));\n  api.route(statusRoute);\n"),
    );
  });

  it('finds a server built in a function of another file, and registers there with an import relative to it', () => {
    const server = `import { createFerryServer } from '@ferry/server';

export async function startServer(port: number) {
  const http = await createFerryServer({ auth: false });
  await http.listen({ port });
}
`;
    const { file, text } = addStatus({ 'src/app.ts': "export { startServer } from './http/server.js';\n", 'src/http/server.ts': server });
    expect(file).toBe('src/http/server.ts');
    expect(text).toBe(
      server
        .replace("from '@ferry/server';\n", "from '@ferry/server';\nimport { statusRoute } from '../routes/status-route.js';\n")
        .replace('  const http = await createFerryServer({ auth: false });\n', '  const http = await createFerryServer({ auth: false });\n  http.route(statusRoute);\n'),
    );
  });

  it('follows the server into a function that registers routes on a FerryServer parameter, or one a helper returns', () => {
    const routes = `import type { FerryServer } from '@ferry/server';
import { chatRoute } from './routes/chat-route.js';

export function registerRoutes(server: FerryServer) {
  server.route(chatRoute);
}
`;
    const app = `import { createFerryServer } from '@ferry/server';
import { registerRoutes } from './register-routes.js';

const makeServer = () => createFerryServer({ auth: false });

export async function buildApp() {
  const server = await makeServer();
  registerRoutes(server);
  return server;
}
`;
    expect(addStatus({ 'src/app.ts': app, 'src/register-routes.ts': routes })).toEqual({
      file: 'src/register-routes.ts',
      text: routes
        .replace("from './routes/chat-route.js';\n", "from './routes/chat-route.js';\nimport { statusRoute } from './routes/status-route.js';\n")
        .replace('  server.route(chatRoute);\n', '  server.route(chatRoute);\n  server.route(statusRoute);\n'),
    });
    const helperMade = app.replace('  registerRoutes(server);\n', '  server.route(chatRoute);\n').replace("import { registerRoutes } from './register-routes.js';", "import { chatRoute } from './routes/chat-route.js';");
    expect(addStatus({ 'src/app.ts': helperMade }).text).toContain('  server.route(chatRoute);\n  server.route(statusRoute);\n  return server;');
  });

  it('refuses to choose between places that register routes, or servers without a route, naming them', () => {
    const two = (name: string) => `import { createFerryServer } from '@ferry/server';
export async function ${name}() {
  const server = await createFerryServer({ auth: false });
  server.route({ method: 'GET', url: '/${name}', handler: () => '${name}' });
  return server;
}
`;
    expect(refusal(() => addStatus({ 'src/public.ts': two('publicApi'), 'src/admin.ts': two('adminApi') }))).toMatchObject({
      code: 'INPUT_INVALID',
      field: 'src',
      message: expect.stringContaining('the app registers routes in 2 places: admin.ts:4, public.ts:4'),
      hint: expect.stringContaining('server.route(statusRoute)'),
    });
    const bare = (name: string) => two(name).replace(/ {2}server\.route.*\n/, '');
    expect(refusal(() => addStatus({ 'src/public.ts': bare('publicApi'), 'src/admin.ts': bare('adminApi') }))).toMatchObject({
      message: expect.stringContaining('2 servers are made with createFerryServer and none registers a route yet: admin.ts:3, public.ts:3'),
    });
  });
});
