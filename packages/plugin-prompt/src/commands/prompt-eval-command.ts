import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FerryHost, HashingEmbedder } from '@ferry/core';
import { Command, Flags } from '@oclif/core';
import { evalChartSvg } from '../eval/eval-chart-svg.js';
import { evaluatePrompts, type PromptVariant } from '../eval/evaluate-prompts.js';
import { FINANCE_SENTIMENT_LABEL_NAMES, FINANCE_SENTIMENT_LEXICON, financeSentimentFiles } from '../eval/finance-sentiment.js';
import { formatEvalTable } from '../eval/format-eval-table.js';
import { loadLabelledCsv, strideSample } from '../eval/load-labelled-csv.js';
import { modelVariant } from '../eval/model-variant.js';
import { offlineVariants } from '../eval/offline-variants.js';
import { createExampleSelector } from '../few-shot/example-selector.js';

export class PromptEvalCommand extends Command {
  static override description =
    'Evaluate classification variants on a labelled CSV: trained centroid, keyword lexicon and MMR nearest neighbours offline, plus zero-shot / few-shot / chain-of-thought prompts when --model is given';
  static override examples = [
    '<%= config.bin %> prompt eval --limit 200',
    '<%= config.bin %> prompt eval --model openai:gpt-4o-mini --limit 100 --out eval-out',
  ];
  static override flags = {
    data: Flags.string({ description: 'text,label CSV to evaluate on (default: the shared Twitter Financial News sent_valid.csv)' }),
    train: Flags.string({ description: 'text,label CSV to train and pick examples from (default: sent_train.csv beside the default data)' }),
    limit: Flags.integer({ description: 'evaluate on at most N examples, every n-th row (deterministic)', min: 1 }),
    model: Flags.string({ description: 'provider:model text generator (e.g. an OpenAI-compatible chat model) for the prompt variants' }),
    out: Flags.string({ description: 'directory to write eval.json and eval.svg into' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(PromptEvalCommand);
    const shared = financeSentimentFiles();
    const dataPath = flags.data ?? shared?.valid;
    const trainPath = flags.train ?? (flags.data === undefined ? shared?.train : undefined);
    if (!dataPath || !trainPath) {
      this.error('no data set: pass --data and --train (text,label CSVs); the default shared finance-sentiment files were not found', { exit: 2 });
    }
    // The finance data stores label codes; other CSVs are taken as they are.
    const isFinance = shared !== undefined && resolve(dataPath) === shared.valid;
    const labelOptions = isFinance ? { labelNames: FINANCE_SENTIMENT_LABEL_NAMES } : {};
    const train = await loadLabelledCsv(trainPath, labelOptions);
    const dataset = strideSample(await loadLabelledCsv(dataPath, labelOptions), flags.limit);
    const labels = [...new Set([...train, ...dataset].map((e) => e.label))].sort();
    // The lexicon is written for the finance labels; other data gets no keyword variant.
    const variants: PromptVariant[] = await offlineVariants(isFinance ? { train, lexicon: FINANCE_SENTIMENT_LEXICON, fallback: 'Neutral' } : { train });
    let host: FerryHost | undefined;
    try {
      if (flags.model) {
        host = await FerryHost.start({ config: {} });
        const model = await host.model('text-generation', flags.model);
        const selector = createExampleSelector(train, new HashingEmbedder(384));
        const criterion = isFinance ? 'the market sentiment of this financial news' : 'this text';
        variants.push(
          modelVariant(`${flags.model} zero-shot`, model, { kind: 'zero-shot', criterion }, labels),
          modelVariant(`${flags.model} few-shot`, model, { kind: 'few-shot', selector, k: 6 }, labels),
          modelVariant(`${flags.model} chain-of-thought`, model, { kind: 'chain-of-thought', criterion }, labels),
        );
      }
      const report = await evaluatePrompts({ variants, dataset, labels });
      this.log(formatEvalTable(report));
      if (flags.out) {
        await mkdir(flags.out, { recursive: true });
        const meta = { data: dataPath, train: trainPath, limit: flags.limit ?? null, model: flags.model ?? null };
        await writeFile(join(flags.out, 'eval.json'), `${JSON.stringify({ ...meta, ...report }, null, 2)}\n`);
        await writeFile(join(flags.out, 'eval.svg'), evalChartSvg(report));
        this.log(`\nwrote ${join(flags.out, 'eval.json')} and ${join(flags.out, 'eval.svg')}`);
      }
    } finally {
      await host?.dispose();
    }
  }
}
