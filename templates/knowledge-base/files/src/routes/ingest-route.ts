import type { RagPluginApi } from '@ferry/plugin-rag';
import { defineRoute } from '@ferry/server';

/** POST /api/admin/ingest: re-reads the documents folder (new, changed and removed files); admin keys only. */
export function ingestRoute(rag: RagPluginApi) {
  return defineRoute({
    method: 'POST',
    url: '/api/admin/ingest',
    scope: 'admin',
    handler: async () => {
      const report = await rag.ingest();
      return {
        added: report.added,
        updated: report.updated,
        removed: report.removed,
        unchanged: report.unchanged,
        skipped: report.skipped,
        totalChunks: report.totalChunks,
      };
    },
  });
}
