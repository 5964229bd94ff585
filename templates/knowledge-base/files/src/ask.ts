import { FerryHost } from '@ferry/core';
import type { RagPluginApi } from '@ferry/plugin-rag';
import { APP_DIR } from './app.js';
import { formatAnswer } from './format-answer.js';

/** `npm run ask "question"`: answers from the ingested documents, with sources. */
const question = process.argv.slice(2).join(' ').trim();
if (!question) {
  console.error('usage: npm run ask "your question"');
  process.exit(2);
}
const host = await FerryHost.start({ config: APP_DIR });
try {
  console.log(formatAnswer(await host.api<RagPluginApi>('@ferry/plugin-rag').ask(question)));
} finally {
  await host.dispose();
}
