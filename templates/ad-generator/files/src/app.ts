import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FerryHost } from '@ferry/core';
import type { MultimodalPluginApi } from '@ferry/plugin-multimodal';
import { createFerryServer, type FerryServer } from '@ferry/server';
import { readEnv, type Env } from './env.js';
import { campaignFileRoute } from './routes/campaign-file-route.js';
import { createCampaignRoute } from './routes/create-campaign-route.js';

/** The app folder: the config and data paths resolve against it. */
export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface BuildOptions {
  env?: Env;
}

/** Builds the HTTP app; main.ts listens, tests inject requests. */
export async function buildApp(options: BuildOptions = {}): Promise<FerryServer> {
  const env = options.env ?? readEnv();
  const campaignsDir = resolve(APP_DIR, env.FERRY_DATA_DIR, 'campaigns');
  await mkdir(campaignsDir, { recursive: true });
  const host = await FerryHost.start({ config: APP_DIR });
  const multimodal = host.api<MultimodalPluginApi>('@ferry/plugin-multimodal');
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
    // Campaign requests carry product JSON, not files.
    bodyLimit: 256 * 1024,
    readiness: [{ name: 'campaigns-folder', check: () => access(campaignsDir, constants.W_OK) }],
  });
  server.route(createCampaignRoute(multimodal, campaignsDir, env.FERRY_CAMPAIGN_CONCURRENCY));
  server.route(campaignFileRoute(campaignsDir));
  return server;
}
