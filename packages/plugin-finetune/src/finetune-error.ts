import { FerryError, type FerryErrorCode } from '@ferry/core';

export const FINETUNE_PLUGIN = '@ferry/plugin-finetune';

/** A FerryError of this plugin: `field` names what was wrong, `hint` how to fix it. */
export function finetuneError(
  field: string,
  message: string,
  hint: string,
  options: { code?: FerryErrorCode; details?: Record<string, unknown>; cause?: unknown } = {},
): FerryError {
  return new FerryError(options.code ?? 'INPUT_INVALID', message, {
    plugin: FINETUNE_PLUGIN,
    field,
    hint,
    ...(options.details === undefined ? {} : { details: options.details }),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}
