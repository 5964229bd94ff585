import { Args, Command, Flags } from '@oclif/core';
import { evaluateRetrieval, formatEvaluation } from '../eval/evaluate-retrieval.js';
import { loadQaFile } from '../eval/qa-item.js';
import { answerFlags, configFromFlags, knowledgeBaseFlags, openKnowledgeBase } from './rag-flags.js';

export class RagEvalCommand extends Command {
  static override description =
    'Evaluate the knowledge base on a question file (.jsonl): hit@k and MRR of retrieval, answer-contains rate, and "don\'t know" precision on unanswerable questions';
  static override examples = ['<%= config.bin %> rag eval qa.jsonl', '<%= config.bin %> rag eval qa.jsonl --mode bm25 --ks 1,5 --no-answers --json'];
  static override args = { file: Args.string({ description: 'questions: one {"question", "relevant", "answers", "unanswerable"} object a line', required: true }) };
  static override flags = {
    ...knowledgeBaseFlags,
    ...answerFlags,
    ks: Flags.string({ description: 'hit@k cut-offs, comma-separated', default: '1,3,5,10' }),
    answers: Flags.boolean({ description: 'also answer each question and score the answers', default: true, allowNo: true }),
    json: Flags.boolean({ description: 'print the evaluation, per question, as JSON' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RagEvalCommand);
    const ks = flags.ks.split(',').map((k) => Number(k.trim()));
    if (ks.some((k) => !Number.isInteger(k) || k < 1)) this.error(`--ks must be positive integers separated by commas, got "${flags.ks}"`, { exit: 2 });
    const qa = await loadQaFile(args.file);
    const { kb, dispose } = await openKnowledgeBase(configFromFlags(flags), flags.config);
    try {
      const retriever = await kb.retriever();
      const evaluation = await evaluateRetrieval(qa, { retriever, ks, ...(flags.answers ? { answerer: await kb.answerer() } : {}) });
      this.log(flags.json ? JSON.stringify(evaluation, null, 2) : formatEvaluation(evaluation));
    } finally {
      await dispose();
    }
  }
}
