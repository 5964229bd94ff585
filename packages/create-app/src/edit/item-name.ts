import { fromZodError } from '@ferry/core';
import { z } from 'zod';

/** `Order Status` / `orderStatus` / `order-status-route` -> `order-status`. */
function kebabWords(name: string, suffix: string): string[] {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.at(-1) === suffix) words.pop();
  return words;
}

/**
 * What `ferry add route|step NAME` accepts: words, never a path. The name
 * becomes a file under src/routes or src/steps, so "/", "\" and ".." are
 * refused rather than quietly folded into the file name.
 */
function itemNameSchema(suffix: 'route' | 'step') {
  return z
    .string()
    .trim()
    .min(1, 'give a name, e.g. "order-status"')
    .max(100, 'use at most 100 characters')
    .refine((name) => !/[/\\]|\.\./.test(name), 'use a name, not a path: no "/", "\\" or ".."')
    .transform((name) => kebabWords(name, suffix))
    .refine((words) => /^[a-z]/.test(words[0] ?? ''), 'use words starting with a letter')
    .transform((words) => words.join('-'));
}

/** The kebab-case base of the file `ferry add` writes, e.g. `order-status` for src/routes/order-status-route.ts. */
export function itemName(name: string, suffix: 'route' | 'step'): string {
  const parsed = itemNameSchema(suffix).safeParse(name);
  if (!parsed.success) {
    throw fromZodError('INPUT_INVALID', parsed.error, {
      what: `${suffix} name "${name}"`,
      fieldPrefix: 'name',
      hint: `Give words starting with a letter, e.g. "order-status"; the file is written to src/${suffix}s/<name>-${suffix}.ts.`,
    });
  }
  return parsed.data;
}

/**
 * What `ferry add step --after NAME` accepts: a step's name as `ferry graph`
 * shows it (`retrieve`, `kb.rerank`), or the identifier the step starts with
 * in the pipeline's steps (`retrieveStep` for `retrieveStep.use(cache())`).
 * Anything else could never name a step, so it is refused before any write.
 */
const stepReferenceSchema = z
  .string()
  .trim()
  .min(1, 'give the step to insert after, e.g. "retrieve"')
  .max(100, 'use at most 100 characters')
  .regex(/^[A-Za-z_$][\w$.-]*$/, 'use a step\'s name as `ferry graph` shows it (e.g. "retrieve") or the variable it is written with (e.g. "retrieveStep")');

export function stepReference(after: string): string {
  const parsed = stepReferenceSchema.safeParse(after);
  if (!parsed.success) {
    throw fromZodError('INPUT_INVALID', parsed.error, {
      what: `--after "${after}"`,
      fieldPrefix: 'after',
      hint: 'Give a step of the pipeline as `ferry graph` shows it, e.g. --after retrieve; leave --after out to add the step at the end.',
    });
  }
  return parsed.data;
}

export function camel(kebabName: string): string {
  return kebabName.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
