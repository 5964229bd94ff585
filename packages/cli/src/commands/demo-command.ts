import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Args, Command, Flags } from '@oclif/core';
import { FerryHost, renderProgress, traceToMermaid } from '@ferry/core';
import { createDemoPipeline } from '../demo/demo-pipeline.js';

const BUNDLED_DOCUMENTS = fileURLToPath(new URL('../../demo/documents', import.meta.url));

export class DemoCommand extends Command {
  static override description =
    'Answer a question from a folder of documents with cited sources, offline: hashing embeddings, top-k retrieval on Ferry kernels, extractive answers';
  static override examples = [
    '<%= config.bin %> demo',
    '<%= config.bin %> demo "How much can a checked bag weigh?"',
    '<%= config.bin %> demo "客服热线的服务时间是什么？"',
    '<%= config.bin %> demo "What is the refund window?" --docs ./my-docs --trace trace.mmd',
  ];
  static override args = {
    question: Args.string({ description: 'the question to answer', default: 'How long do I have to request a refund?' }),
  };
  static override flags = {
    docs: Flags.string({ description: 'folder of .md / .txt documents (default: the bundled Northwind Travel handbook)' }),
    embedder: Flags.string({ description: 'embedding model reference', default: 'offline:hash-384' }),
    answerer: Flags.string({ description: 'text-generation model reference', default: 'offline:extractive' }),
    'top-k': Flags.integer({ description: 'passages handed to the answerer', default: 4, min: 1 }),
    trace: Flags.string({ description: 'write the run trace as a Mermaid Gantt chart to this file' }),
    json: Flags.boolean({ description: 'print the result as JSON' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DemoCommand);
    const host = await FerryHost.start({ config: {} });
    try {
      const demo = createDemoPipeline(host, { embedder: flags.embedder, answerer: flags.answerer }, flags['top-k']);
      const { output, trace } = await demo.run(
        { question: args.question, dir: flags.docs ?? BUNDLED_DOCUMENTS },
        flags.json ? {} : { onEvent: renderProgress(process.stderr) },
      );
      if (flags.trace) await writeFile(flags.trace, traceToMermaid(trace, { title: 'ferry demo' }));
      if (flags.json) {
        this.log(JSON.stringify(output, null, 2));
        return;
      }
      this.log('');
      this.log(`Question: ${output.question}`);
      this.log(`Answer:   ${output.answer}`);
      if (output.citations.length > 0) {
        this.log('Sources:');
        output.citations.forEach((c, i) => this.log(`  [${i + 1}] ${c.documentId}: "${c.quote}"`));
      }
      this.log('Models:');
      for (const m of output.models) this.log(`  ${m.ref}${m.neural ? '' : ' (not a neural model)'}${m.description ? `: ${m.description}` : ''}`);
      if (flags.trace) this.log(`Trace written to ${flags.trace}`);
    } finally {
      await host.dispose();
    }
  }
}
