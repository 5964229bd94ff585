import { isFerryError } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { addRouteToApp } from './add-route.js';
import { openAppProject } from './app-source.js';

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

function edit(source: string, route = { name: 'statusRoute', from: './routes/status-route.js' }) {
  const file = openAppProject({ inMemory: true }).createSourceFile('src/app.ts', source);
  const changed = addRouteToApp(file, route);
  return { changed, text: file.getFullText() };
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
      try {
        edit(source);
        expect.unreachable();
      } catch (error) {
        expect(isFerryError(error) && error.hint).toContain('server.route(statusRoute)');
      }
    }
  });
});
