import { FerryError, formatPath } from '@ferry/core';
import type { z } from 'zod';

/**
 * Turns a failed variables parse into an INPUT_INVALID error that names the
 * variable (`variables.topic`), not the whole object: `fromZodError` would
 * report unrecognised keys at the root, which is useless to a caller.
 */
export function variablesError(promptName: string, error: z.ZodError): FerryError {
  const issues = error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          field: formatPath([...issue.path, key], 'variables'),
          message: 'is not declared in the variables schema',
          hint: `Remove "${key}" from the variables passed to prompt "${promptName}", or declare it in its variables schema.`,
        }))
      : [
          {
            field: formatPath(issue.path, 'variables'),
            message: issue.message,
            hint:
              issue.code === 'invalid_type' && issue.input === undefined
                ? `Pass "${formatPath(issue.path)}" (${issue.expected}) to render() of prompt "${promptName}".`
                : `Give "${formatPath(issue.path)}" a valid value for prompt "${promptName}": ${issue.message}.`,
          },
        ],
  );
  const first = issues[0] ?? { field: 'variables', message: 'invalid value', hint: `Check the variables of prompt "${promptName}".` };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more: ${issues.slice(1).map((i) => i.field).join(', ')})` : '';
  return new FerryError('INPUT_INVALID', `variables of prompt "${promptName}": ${first.field} ${first.message}${more}`, {
    field: first.field,
    hint: first.hint,
    details: { prompt: promptName, issues: issues.map(({ field, message }) => ({ field, message })) },
    cause: error,
  });
}
