import { renderProgress } from '@ferry/core';
import { Args, Command, Flags } from '@oclif/core';
import { ingest } from '../ingest/ingest.js';
import { configFromFlags, knowledgeBaseFlags, openKnowledgeBase } from './rag-flags.js';

export class RagIngestCommand extends Command {
  static override description =
    'Ingest a folder into the knowledge base: unchanged files are skipped by content hash, changed ones replaced, removed ones deleted; bad files are reported and skipped';
  static override examples = ['<%= config.bin %> rag ingest docs', '<%= config.bin %> rag ingest docs --include "**/*.md" --chunk-size 800 --json'];
  static override args = { root: Args.string({ description: 'folder to ingest', required: true }) };
  static override flags = {
    ...knowledgeBaseFlags,
    include: Flags.string({ description: 'glob of files to take (repeatable)', multiple: true }),
    exclude: Flags.string({ description: 'glob of files to leave out (repeatable)', multiple: true }),
    'follow-links-outside-root': Flags.boolean({ description: 'also ingest what links lead to outside the folder (skipped by default)' }),
    strategy: Flags.string({ description: 'splitter', options: ['recursive', 'markdown', 'sentence', 'token'] }),
    'chunk-size': Flags.integer({ description: 'largest chunk in characters', min: 1, default: 1000 }),
    'chunk-overlap': Flags.integer({ description: 'characters repeated between chunks', min: 0, default: 200 }),
    'batch-size': Flags.integer({ description: 'chunks per embedding call and commit', min: 1, default: 64 }),
    json: Flags.boolean({ description: 'print the report as JSON' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RagIngestCommand);
    const config = configFromFlags(flags, {
      split: { chunkSize: flags['chunk-size'], chunkOverlap: flags['chunk-overlap'], ...(flags.strategy === undefined ? {} : { strategy: flags.strategy as 'recursive' }) },
    });
    const { kb, dispose } = await openKnowledgeBase(config, flags.config);
    try {
      const report = await ingest({
        root: kb.path(args.root),
        store: await kb.store(),
        collection: config.collection,
        embedder: kb.parts.embedder,
        stateDir: kb.stateDir,
        split: config.split,
        batchSize: flags['batch-size'],
        ...(flags.include === undefined ? {} : { include: flags.include }),
        ...(flags.exclude === undefined ? {} : { exclude: flags.exclude }),
        followLinksOutsideRoot: flags['follow-links-outside-root'],
        // A bar on a terminal; JSON event lines when piped, unless the report itself is JSON.
        ...(flags.json && !process.stderr.isTTY ? {} : { onEvent: renderProgress(process.stderr) }),
      });
      if (flags.json) {
        this.log(JSON.stringify(report, null, 2));
        return;
      }
      this.log(`added ${report.added.length}, updated ${report.updated.length}, removed ${report.removed.length}, unchanged ${report.unchanged}`);
      this.log(`chunks: ${report.chunksUpserted} written, ${report.chunksDeleted} deleted, ${report.totalChunks} in "${config.collection}"`);
      for (const s of report.skipped) this.log(`skipped ${s.source} (${s.reason}): ${s.message}`);
    } finally {
      await dispose();
    }
  }
}
