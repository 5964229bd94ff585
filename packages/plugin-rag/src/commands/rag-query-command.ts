import { FerryError } from '@ferry/core';
import { Args, Command, Flags } from '@oclif/core';
import type { Answer } from '../answer/answer-types.js';
import { sourceLabel } from '../answer/source-label.js';
import { checkMetadataFilter } from '../stores/metadata-filter.js';
import type { MetadataFilter } from '../stores/vector-store.js';
import { answerFlags, configFromFlags, knowledgeBaseFlags, openKnowledgeBase } from './rag-flags.js';

export class RagQueryCommand extends Command {
  static override description = 'Ask the knowledge base: a cited answer streamed as it is written, then its sources; "I don\'t know" when the evidence is too weak';
  static override examples = [
    '<%= config.bin %> rag query "How many days can I work remotely?"',
    '<%= config.bin %> rag query "报销需要多久？" --filter \'{"type":"md"}\' --json',
    '<%= config.bin %> rag query "password reset" --retrieve-only --mode bm25',
  ];
  static override args = { question: Args.string({ description: 'the question', required: true }) };
  static override flags = {
    ...knowledgeBaseFlags,
    ...answerFlags,
    filter: Flags.string({ description: 'metadata filter as JSON, e.g. {"source":"handbook.md"}' }),
    'retrieve-only': Flags.boolean({ description: 'print the retrieved chunks with their per-method ranks instead of answering' }),
    json: Flags.boolean({ description: 'print the answer (or chunks) as JSON' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RagQueryCommand);
    const filter = parseFilter(flags.filter);
    const config = configFromFlags(flags);
    const { kb, dispose } = await openKnowledgeBase(config, flags.config);
    try {
      if (flags['retrieve-only']) {
        const chunks = await (await kb.retriever()).retrieve(args.question, { k: flags.k, ...(filter === undefined ? {} : { filter }) });
        if (flags.json) {
          this.log(JSON.stringify(chunks, null, 2));
          return;
        }
        for (const [i, c] of chunks.entries()) {
          const ranks = Object.entries(c.ranks).map(([m, r]) => `${m} #${r}`).join(', ');
          this.log(`${i + 1}. ${c.id}  score ${c.score.toFixed(4)}  evidence ${c.evidence.toFixed(2)}  (${ranks})`);
          this.log(`   ${c.text.replace(/\s+/g, ' ').slice(0, 200)}`);
        }
        return;
      }
      const answerer = await kb.answerer();
      const options = filter === undefined ? {} : { filter };
      if (flags.json) {
        this.log(JSON.stringify(await answerer.ask(args.question, options), null, 2));
        return;
      }
      let answer: Answer | undefined;
      for await (const event of answerer.stream(args.question, options)) {
        if (event.type === 'text') process.stdout.write(event.text);
        else answer = event.answer;
      }
      process.stdout.write('\n');
      if (answer && answer.sources.length > 0) {
        this.log('\nSources:');
        for (const s of answer.sources) this.log(`[${s.n}] ${sourceLabel(s)}${s.title && s.title !== s.source ? ` (${s.title})` : ''}`);
      }
    } finally {
      await dispose();
    }
  }
}

function parseFilter(text: string | undefined): MetadataFilter | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new FerryError('INPUT_INVALID', `--filter is not valid JSON: ${text}`, { field: 'filter', hint: 'Quote it for the shell, e.g. --filter \'{"source":"handbook.md"}\'.', cause });
  }
  checkMetadataFilter(value, 'filter');
  return value;
}
