import { fileURLToPath } from 'node:url';
import { FerryHost } from '@ferry/core';
import type { RagPluginApi } from '@ferry/plugin-rag';
import { createFerryServer, type FerryServer } from '@ferry/server';
import { readEnv, type Env } from './env.js';
import { askRoute, askStreamRoute } from './routes/ask-route.js';
import { ingestRoute } from './routes/ingest-route.js';
import { pageRoute } from './routes/page-route.js';
import { sourceRoute } from './routes/source-route.js';

/** The app folder: the config and data paths resolve against it. */
export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface BuildOptions {
  env?: Env;
}

/** Builds the HTTP app; main.ts listens, tests inject requests. */
export async function buildApp(options: BuildOptions = {}): Promise<FerryServer> {
  const env = options.env ?? readEnv();
  const host = await FerryHost.start({ config: APP_DIR });
  const rag = host.api<RagPluginApi>('@ferry/plugin-rag');
  const auth =
    env.FERRY_API_KEY || env.FERRY_API_KEYS_FILE
      ? {
          keys: env.FERRY_API_KEY ? [{ key: env.FERRY_API_KEY, scopes: ['admin'] }] : [],
          ...(env.FERRY_API_KEYS_FILE ? { keysFile: env.FERRY_API_KEYS_FILE } : {}),
        }
      : false;
  const server = await createFerryServer({
    host,
    auth,
    logger: { level: env.LOG_LEVEL },
    readiness: [
      {
        name: 'knowledge-base',
        // Awaited, so a vector store that is down fails the check instead of rejecting unhandled.
        check: async () => {
          await (await rag.knowledgeBase.collection()).count();
        },
      },
    ],
  });
  server.route(pageRoute);
  server.route(askRoute(rag));
  server.route(askStreamRoute(rag));
  server.route(sourceRoute(rag));
  server.route(ingestRoute(rag));
  return server;
}
