import { extractJson } from '../structured/extract-json.js';
import { accuracy, confusionMatrix, macroF1, percentile, weightedF1, type ConfusionMatrix } from './classification-metrics.js';

// A type alias, not an interface, so it fits FewShotExample's index signature.
export type EvalExample = {
  text: string;
  label: string;
};

export interface VariantOutput {
  /** The label the variant chose; missing when it could not tell. */
  label?: string;
  /** What the model said, kept for the JSON-valid rate and for debugging. */
  raw: string;
  tokens?: number;
}

export interface PromptVariant {
  name: string;
  /** Set when the variant answers in JSON, so its JSON-valid rate is measured. */
  json?: boolean;
  run(example: EvalExample): Promise<VariantOutput>;
}

export interface VariantReport {
  name: string;
  accuracy: number;
  macroF1: number;
  weightedF1: number;
  /** Share of replies extractJson could read; only for JSON variants. */
  jsonValidRate?: number;
  meanLatencyMs: number;
  p95LatencyMs: number;
  totalTokens: number;
  /** Examples whose run threw; they count as unlabelled. */
  errors: number;
  confusion: ConfusionMatrix;
}

export interface EvalReport {
  labels: string[];
  examples: number;
  variants: VariantReport[];
}

export interface EvaluatePromptsInput {
  variants: readonly PromptVariant[];
  dataset: readonly EvalExample[];
  labels: readonly string[];
  /** Examples in flight at once per variant; default 4. */
  concurrency?: number;
}

/** Runs every variant over the data set and scores it; variants run one after another so their latencies do not interfere. */
export async function evaluatePrompts(input: EvaluatePromptsInput): Promise<EvalReport> {
  const { variants, dataset, labels } = input;
  const concurrency = input.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  const reports: VariantReport[] = [];
  for (const variant of variants) reports.push(await evaluateVariant(variant, dataset, labels, concurrency));
  return { labels: [...labels], examples: dataset.length, variants: reports };
}

interface Outcome {
  output: VariantOutput | undefined;
  ms: number;
}

async function evaluateVariant(variant: PromptVariant, dataset: readonly EvalExample[], labels: readonly string[], concurrency: number): Promise<VariantReport> {
  const outcomes: Outcome[] = new Array<Outcome>(dataset.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < dataset.length) {
      const i = next++;
      const started = performance.now();
      let output: VariantOutput | undefined;
      try {
        output = await variant.run(dataset[i] as EvalExample);
      } catch {
        // One failing example must not sink the run; it is scored as unlabelled and counted.
        output = undefined;
      }
      outcomes[i] = { output, ms: performance.now() - started };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, dataset.length) }, worker));
  const confusion = confusionMatrix(
    labels,
    dataset.map((e) => e.label),
    outcomes.map((o) => o.output?.label),
  );
  const latencies = outcomes.map((o) => o.ms);
  const report: VariantReport = {
    name: variant.name,
    accuracy: accuracy(confusion),
    macroF1: macroF1(confusion),
    weightedF1: weightedF1(confusion),
    meanLatencyMs: latencies.length === 0 ? 0 : latencies.reduce((a, b) => a + b, 0) / latencies.length,
    p95LatencyMs: percentile(latencies, 95),
    totalTokens: outcomes.reduce((total, o) => total + (o.output?.tokens ?? 0), 0),
    errors: outcomes.filter((o) => o.output === undefined).length,
    confusion,
  };
  if (variant.json) report.jsonValidRate = outcomes.length === 0 ? 0 : outcomes.filter((o) => o.output && readsAsJson(o.output.raw)).length / outcomes.length;
  return report;
}

function readsAsJson(raw: string): boolean {
  try {
    extractJson(raw);
    return true;
  } catch {
    return false;
  }
}
