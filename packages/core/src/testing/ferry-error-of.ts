import { FerryError } from '../errors/ferry-error.js';

/**
 * The FerryError `promise` rejects with, for tests that assert its code,
 * field and hint; fails the test when it fulfils or rejects with anything else.
 */
export async function ferryErrorOf(promise: Promise<unknown>): Promise<FerryError> {
  const outcome = await promise.then(
    (value: unknown) => ({ fulfilled: true as const, value }),
    (error: unknown) => ({ fulfilled: false as const, error }),
  );
  if (outcome.fulfilled) throw new Error(`expected a FerryError, but it fulfilled with ${String(outcome.value)}`);
  if (!(outcome.error instanceof FerryError)) throw new Error(`expected a FerryError, got ${String(outcome.error)}`, { cause: outcome.error });
  return outcome.error;
}
