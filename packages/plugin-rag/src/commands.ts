import { RagChromaStartCommand } from './commands/rag-chroma-start-command.js';
import { RagEvalCommand } from './commands/rag-eval-command.js';
import { RagIngestCommand } from './commands/rag-ingest-command.js';
import { RagQueryCommand } from './commands/rag-query-command.js';

/** oclif's explicit command discovery reads this map (package.json oclif.commands). */
export const COMMANDS = {
  'rag:ingest': RagIngestCommand,
  'rag:query': RagQueryCommand,
  'rag:eval': RagEvalCommand,
  'rag:chroma:start': RagChromaStartCommand,
};
