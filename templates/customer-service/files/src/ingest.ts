import { FerryHost, renderProgress } from '@ferry/core';
import type { RagPluginApi } from '@ferry/plugin-rag';
import { APP_DIR } from './app.js';

/** `npm run ingest [folder]`: adds new and changed documents, removes deleted ones. Safe to re-run. */
const host = await FerryHost.start({ config: APP_DIR });
try {
  const rag = host.api<RagPluginApi>('@ferry/plugin-rag');
  const root = process.argv[2];
  const report = await rag.ingest({ ...(root ? { root } : {}), onEvent: renderProgress() });
  console.log(
    `ingested: ${report.added.length} added, ${report.updated.length} updated, ${report.removed.length} removed, ${report.unchanged} unchanged; ${report.totalChunks} chunks`,
  );
  for (const skipped of report.skipped) console.log(`skipped ${skipped.source}: ${skipped.reason}`);
} finally {
  await host.dispose();
}
