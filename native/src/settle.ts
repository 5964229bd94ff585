/**
 * Elements above which a memory-bound kernel runs on the libuv pool: roughly
 * where it starts to take a millisecond.
 */
export const ASYNC_ELEMENTS = 1 << 20;

/** The kernel's result, once the addon call (sync: undefined, async: a promise) has finished writing it. */
export function settle<T>(pending: Promise<void> | undefined, result: T): T | Promise<T> {
  return pending === undefined ? result : pending.then(() => result);
}
