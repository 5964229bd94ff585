import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRepoRoot } from './repo-root.js';

/** Twitter Financial News sentiment: the CSV label codes and their names. */
export const FINANCE_SENTIMENT_LABEL_NAMES: Readonly<Record<string, string>> = { '0': 'Bearish', '1': 'Bullish', '2': 'Neutral' };
export const FINANCE_SENTIMENT_LABELS = ['Bearish', 'Bullish', 'Neutral'] as const;

/**
 * A small hand-written finance lexicon for offline:keyword: the zero-shot
 * baseline, written from domain knowledge, not from the training data.
 * Texts with no hit fall back to Neutral.
 */
export const FINANCE_SENTIMENT_LEXICON: Readonly<Record<string, string[]>> = {
  Bearish: ['falls', 'fell', 'drop', 'drops', 'plunge', 'plunges', 'slump', 'slumps', 'down', 'lower', 'cut', 'cuts', 'trimmed', 'downgrade', 'downgraded', 'miss', 'misses', 'loss', 'losses', 'weak', 'decline', 'declines', 'sell', 'bearish', 'lawsuit', 'layoffs', 'tumble', 'tumbles', 'sink', 'sinks', 'warns', 'slide', 'slides', 'recession'],
  Bullish: ['rises', 'rose', 'gain', 'gains', 'jump', 'jumps', 'surge', 'surges', 'soar', 'soars', 'rally', 'rallies', 'up', 'higher', 'raised', 'raises', 'upgrade', 'upgraded', 'beat', 'beats', 'record', 'strong', 'buy', 'bullish', 'outperform', 'climbs', 'boost', 'boosts', 'growth', 'profit'],
};

export interface FinanceSentimentFiles {
  train: string;
  valid: string;
}

/** Where the shared data sets live: `../shared/data/finance-sentiment` beside the repository root. */
export function financeSentimentFiles(from = fileURLToPath(import.meta.url)): FinanceSentimentFiles | undefined {
  const root = findRepoRoot(from);
  if (!root) return undefined;
  const dir = resolve(root, '../shared/data/finance-sentiment');
  const files = { train: resolve(dir, 'sent_train.csv'), valid: resolve(dir, 'sent_valid.csv') };
  return existsSync(files.valid) ? files : undefined;
}
