import { z } from 'zod';

/** Settings from the environment (see .env.example); a bad value stops start-up naming the variable. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Where generated campaigns go (`<FERRY_DATA_DIR>/campaigns/<id>`), relative to the app folder. */
  FERRY_DATA_DIR: z.string().min(1).default('data'),
  /** Campaigns rendered at once; each keeps about one CPU core busy for a few seconds. */
  FERRY_CAMPAIGN_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** One key with every scope, `fy_<id>_<secret>`; unset = no authentication (development only). */
  FERRY_API_KEY: z.string().optional(),
  /** Hashed keys with scopes, `{ "keys": [...] }` (see @ferry/server's README). */
  FERRY_API_KEYS_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.output<typeof envSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // An empty line in .env (`FERRY_API_KEY=`) means "not set", not "set to nothing".
  const set = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`environment variable ${String(issue?.path[0])} is invalid: ${issue?.message}. Fix it in .env or the deployment.`);
  }
  return parsed.data;
}
