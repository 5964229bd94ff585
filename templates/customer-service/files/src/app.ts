import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FerryHost } from '@ferry/core';
import type { PromptPluginApi } from '@ferry/plugin-prompt';
import type { RagPluginApi } from '@ferry/plugin-rag';
import { createFerryServer, type FerryServer } from '@ferry/server';
import { chatPipeline } from './chat/chat-pipeline.js';
import { seedKnowledgeBase } from './seed-knowledge-base.js';
import { readEnv, type Env } from './env.js';
import { IntentRouter } from './intent-router.js';
import { chatRoute } from './routes/chat-route.js';
import { historyRoute } from './routes/history-route.js';

/** The app folder: the config and data paths resolve against it. */
export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface BuildOptions {
  env?: Env;
}

/** Builds the HTTP app; main.ts listens, tests inject requests. */
export async function buildApp(options: BuildOptions = {}): Promise<FerryServer> {
  const env = options.env ?? readEnv();
  const dataDir = resolve(APP_DIR, env.FERRY_DATA_DIR);
  const router = await IntentRouter.load(new URL('../data/intents.csv', import.meta.url), new URL('../data/intent-routes.json', import.meta.url));
  const host = await FerryHost.start({ config: APP_DIR });
  const rag = host.api<RagPluginApi>('@ferry/plugin-rag');
  const auth =
    env.FERRY_API_KEY || env.FERRY_API_KEYS_FILE
      ? {
          keys: env.FERRY_API_KEY ? [{ key: env.FERRY_API_KEY, scopes: ['admin'] }] : [],
          ...(env.FERRY_API_KEYS_FILE ? { keysFile: env.FERRY_API_KEYS_FILE } : {}),
        }
      : false;
  const sessions =
    env.FERRY_SESSION_STORE === 'redis'
      ? { store: 'redis' as const, url: env.REDIS_URL }
      : env.FERRY_SESSION_STORE === 'sqlite'
        ? { store: 'sqlite' as const, path: join(dataDir, 'sessions.db') }
        : { store: 'memory' as const, maxTurns: env.FERRY_SESSION_MAX_TURNS };
  const server = await createFerryServer({
    host,
    auth,
    sessions,
    audit: { path: join(dataDir, 'audit.jsonl') },
    logger: { level: env.LOG_LEVEL },
    // Ready while the vector store answers (a Chroma server can go away after start-up).
    readiness: [
      {
        name: 'knowledge-base',
        check: async () => {
          await (await rag.knowledgeBase.collection()).count();
        },
      },
    ],
  });
  if (!server.sessions) throw new Error('the server started without a session store');
  const stopSeeding = await seedKnowledgeBase(rag, server.fastify.log);
  server.fastify.addHook('onClose', async () => stopSeeding());
  const chat = chatPipeline({
    router,
    rag,
    sessions: server.sessions,
    injectionGuard: host.api<PromptPluginApi>('@ferry/plugin-prompt').injectionGuard,
    audit: server.audit,
    historyTurns: env.CHAT_HISTORY_TURNS,
  });
  server.route(chatRoute(chat));
  server.route(historyRoute(server.sessions, env.CHAT_HISTORY_TURNS));
  return server;
}
