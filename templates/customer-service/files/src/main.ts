import { existsSync } from 'node:fs';
import { buildApp } from './app.js';
import { readEnv } from './env.js';

const envFile = new URL('../.env', import.meta.url);
if (existsSync(envFile)) process.loadEnvFile(envFile);

const env = readEnv();
const server = await buildApp({ env });
// listen() closes gracefully on SIGTERM / SIGINT: in-flight requests finish first.
const url = await server.listen({ port: env.PORT, host: env.HOST });
console.log(`customer service listening on ${url}`);
