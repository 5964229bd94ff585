import { isDependencyUnavailable } from '@ferry/core';
import type { RagPluginApi } from '@ferry/plugin-rag';

export interface SeedLog {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 30_000;

/** Reads the shipped articles into the store when it is empty, so a fresh deployment answers at once. */
async function seed(rag: RagPluginApi): Promise<void> {
  if ((await (await rag.knowledgeBase.collection()).count()) === 0) await rag.ingest();
}

/**
 * Seeds the knowledge base now if the store answers. A store that is not up
 * yet (Chroma starting after the app, as containers do) does not stop the
 * app: it starts not ready (its readiness check says why, knowledge-base
 * questions get 503) and seeds by itself once the store answers, retrying
 * with a growing pause. Returns a function that stops the retries.
 */
export async function seedKnowledgeBase(rag: RagPluginApi, log: SeedLog): Promise<() => void> {
  try {
    await seed(rag);
    return () => {};
  } catch (error) {
    if (!isDependencyUnavailable(error)) throw error;
    log.warn({ reason: (error as Error).message }, 'knowledge base unavailable at start-up; starting anyway and seeding it once it answers');
  }
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const retry = (pauseMs: number): void => {
    timer = setTimeout(() => {
      seed(rag).then(
        () => log.info({}, 'knowledge base reachable again and seeded'),
        (error: unknown) => {
          if (stopped) return;
          if (!isDependencyUnavailable(error)) log.warn({ reason: (error as Error).message }, 'knowledge base seeding failed; retrying');
          retry(Math.min(pauseMs * 2, LONGEST_RETRY_MS));
        },
      );
    }, pauseMs);
    // Waiting for the store never keeps the process alive by itself.
    timer.unref();
  };
  retry(FIRST_RETRY_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
