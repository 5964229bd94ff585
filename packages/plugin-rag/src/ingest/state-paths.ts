import { join } from 'node:path';

/** Default state folder inside an ingest root; dot folders are never ingested. */
export const STATE_DIR_NAME = '.ferry-rag';

/** Where ingest keeps a collection's manifest and BM25 keyword index. */
export function statePaths(stateDir: string, collection: string): { manifestPath: string; keywordIndexPath: string } {
  return { manifestPath: join(stateDir, `${collection}.manifest.json`), keywordIndexPath: join(stateDir, `${collection}.bm25.json`) };
}
