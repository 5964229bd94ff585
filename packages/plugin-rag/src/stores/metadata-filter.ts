import { FerryError } from '@ferry/core';
import type { MetadataValue } from '../documents/chunk.js';
import type { FieldCondition, MetadataFilter } from './vector-store.js';

const FIELD_OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin']);
const NUMERIC_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

function isMetadataValue(value: unknown): value is MetadataValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function bad(field: string, message: string, hint: string): never {
  throw new FerryError('INPUT_INVALID', message, { field, hint });
}

/**
 * Throws a FerryError naming the offending path when `filter` is not a
 * MetadataFilter; both stores call it so they reject the same filters.
 */
export function checkMetadataFilter(filter: unknown, field = 'filter'): asserts filter is MetadataFilter {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    bad(field, `a metadata filter must be an object, got ${describe(filter)}`, 'Pass e.g. { source: "a.md" } or { page: { $gt: 2 } }.');
  }
  const entries = Object.entries(filter);
  if (entries.length === 0) bad(field, 'a metadata filter must not be empty', 'Leave the filter out to match everything.');
  for (const [key, value] of entries) {
    if (key === '$and' || key === '$or') {
      if (entries.length !== 1) bad(field, `${key} must be the only key of its object`, `Wrap the other conditions inside the ${key} list.`);
      if (!Array.isArray(value) || value.length === 0) bad(`${field}.${key}`, `${key} needs a non-empty list of filters`, `Pass { ${key}: [{ a: 1 }, { b: 2 }] }.`);
      value.forEach((sub, i) => checkMetadataFilter(sub, `${field}.${key}[${i}]`));
      continue;
    }
    if (key.startsWith('$')) bad(`${field}.${key}`, `unknown logical operator ${key}`, 'Use $and or $or at the top of a filter, or a field name.');
    checkCondition(value, `${field}.${key}`);
  }
}

function checkCondition(value: unknown, field: string): void {
  if (isMetadataValue(value)) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    bad(field, `a field condition must be a string, number, boolean or { $op: value }, got ${describe(value)}`, 'Use { field: value } or { field: { $in: [a, b] } }.');
  }
  const ops = Object.entries(value);
  if (ops.length !== 1) bad(field, `a field condition needs exactly one operator, got ${ops.length}`, 'Combine several conditions on one field with $and.');
  const [op, operand] = ops[0]!;
  if (!FIELD_OPERATORS.has(op)) bad(`${field}.${op}`, `unknown operator ${op}`, `Use one of ${[...FIELD_OPERATORS].join(', ')}.`);
  if (NUMERIC_OPERATORS.has(op)) {
    if (typeof operand !== 'number' || !Number.isFinite(operand)) bad(`${field}.${op}`, `${op} needs a finite number, got ${describe(operand)}`, 'Compare numbers only; strings match with $eq or $in.');
  } else if (op === '$in' || op === '$nin') {
    if (!Array.isArray(operand) || operand.length === 0 || !operand.every(isMetadataValue)) {
      bad(`${field}.${op}`, `${op} needs a non-empty list of strings, numbers or booleans`, `Pass { ${op}: ["a", "b"] }.`);
    }
  } else if (!isMetadataValue(operand)) {
    bad(`${field}.${op}`, `${op} needs a string, number or boolean, got ${describe(operand)}`, 'Metadata values are flat: strings, finite numbers, booleans.');
  }
}

/** Whether `metadata` satisfies a filter already checked by `checkMetadataFilter`. */
export function matchesFilter(metadata: Readonly<Record<string, MetadataValue>>, filter: MetadataFilter): boolean {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and') {
      if (!(value as MetadataFilter[]).every((sub) => matchesFilter(metadata, sub))) return false;
    } else if (key === '$or') {
      if (!(value as MetadataFilter[]).some((sub) => matchesFilter(metadata, sub))) return false;
    } else if (!matchesCondition(Object.hasOwn(metadata, key) ? metadata[key] : undefined, value as MetadataValue | FieldCondition)) {
      return false;
    }
  }
  return true;
}

// A missing field fails every condition, $ne and $nin included, as in Chroma,
// so both stores answer the same.
function matchesCondition(actual: MetadataValue | undefined, condition: MetadataValue | FieldCondition): boolean {
  if (actual === undefined) return false;
  if (typeof condition !== 'object') return actual === condition;
  const [op, operand] = Object.entries(condition)[0]!;
  switch (op) {
    case '$eq':
      return actual === operand;
    case '$ne':
      return actual !== operand;
    case '$gt':
      return typeof actual === 'number' && actual > (operand as number);
    case '$gte':
      return typeof actual === 'number' && actual >= (operand as number);
    case '$lt':
      return typeof actual === 'number' && actual < (operand as number);
    case '$lte':
      return typeof actual === 'number' && actual <= (operand as number);
    case '$in':
      return (operand as MetadataValue[]).includes(actual);
    case '$nin':
      return !(operand as MetadataValue[]).includes(actual);
    default:
      return false;
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value === 'string' ? JSON.stringify(value).slice(0, 60) : `${typeof value} ${String(value)}`;
}
