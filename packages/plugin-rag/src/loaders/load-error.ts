import { FerryError } from '@ferry/core';

/** Why a file could not be loaded; `loadDirectory` reports it with the skip. */
export type LoadFailure = 'unreadable' | 'unsupported-type' | 'empty' | 'malformed' | 'too-large';

/** A loader failure: always INPUT_INVALID, with the failure kind and source in `details`. */
export function loadError(source: string, reason: LoadFailure, message: string, hint: string, cause?: unknown): FerryError {
  return new FerryError('INPUT_INVALID', `${source}: ${message}`, {
    field: 'source',
    hint,
    details: { source, reason },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The failure kind of an error thrown by `loadFile`, if it is one. */
export function loadFailureOf(error: unknown): LoadFailure | undefined {
  if (!(error instanceof FerryError)) return undefined;
  const reason = error.details?.['reason'];
  return typeof reason === 'string' ? (reason as LoadFailure) : undefined;
}
