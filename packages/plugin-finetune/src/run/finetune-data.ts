import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { createLabelMap, type LabelMap } from '../data/label-map.js';
import { readDataset } from '../data/read-dataset.js';
import { stratifiedSplit } from '../data/stratified-split.js';
import type { FinetuneConfig } from '../finetune-config.js';

export interface LabelledText {
  text: string;
  label: string;
  line: number;
}

export interface FinetuneData {
  labelMap: LabelMap;
  train: LabelledText[];
  validation: LabelledText[];
  /** Rows left out with skipBadRows, per file. */
  skipped: { file: string; line: number; field: string; message: string }[];
}

export function resolveFrom(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/** The config's train (and validation) files read through the label map; without a validation file, a stratified split of train. */
export async function loadFinetuneData(config: FinetuneConfig, baseDir: string): Promise<FinetuneData> {
  const { data } = config;
  const trainPath = resolveFrom(baseDir, data.train);
  const read = async (path: string, labelMap: LabelMap) => {
    const schema = z.object({ [data.textField]: z.string().trim().min(1), [data.labelField]: labelMap.schema });
    const dataset = await readDataset(path, { schema, encoding: data.encoding, skipBadRows: data.skipBadRows, ...(data.format ? { format: data.format } : {}) });
    return {
      rows: dataset.rows.map((r) => ({ text: r.value[data.textField] as string, label: r.value[data.labelField] as string, line: r.line })),
      skipped: dataset.skipped.map((s) => ({ file: path, ...s })),
    };
  };
  let labelMap: LabelMap;
  if (data.labelMap) labelMap = createLabelMap(data.labelMap);
  else {
    // Without a map the raw values are the label names.
    const raw = await readDataset(trainPath, { schema: z.record(z.string(), z.unknown()), encoding: data.encoding, ...(data.format ? { format: data.format } : {}) });
    const values = [...new Set(raw.rows.map((r) => String(r.value[data.labelField])))].sort();
    labelMap = createLabelMap(Object.fromEntries(values.map((v) => [v, v])));
  }
  const train = await read(trainPath, labelMap);
  if (data.validation) {
    const validation = await read(resolveFrom(baseDir, data.validation), labelMap);
    return { labelMap, train: train.rows, validation: validation.rows, skipped: [...train.skipped, ...validation.skipped] };
  }
  const split = stratifiedSplit(train.rows, (r) => r.label, { validationFraction: data.validationFraction, seed: config.training.seed });
  return { labelMap, train: split.train, validation: split.validation, skipped: train.skipped };
}
