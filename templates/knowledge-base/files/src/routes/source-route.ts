import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import type { RagPluginApi } from '@ferry/plugin-rag';
import { defineRoute, HttpError } from '@ferry/server';

const TEXT_TYPES: Record<string, string> = { '.md': 'text/markdown', '.txt': 'text/plain', '.html': 'text/plain', '.htm': 'text/plain', '.csv': 'text/csv', '.json': 'application/json' };

/** GET /api/sources/<path>: the text of a cited document, only from inside the documents folder. */
export function sourceRoute(rag: RagPluginApi) {
  const kb = rag.knowledgeBase;
  const root = kb.path(kb.parts.config.root ?? 'data/docs');
  return defineRoute({
    method: 'GET',
    url: '/api/sources/*',
    scope: 'chat',
    handler: async ({ params, reply }) => {
      const wanted = resolve(root, params['*'] ?? '');
      const notFound = new HttpError(404, 'NOT_FOUND', 'no such source document', 'Use a source link from an answer.', 'path');
      const inside = relative(root, wanted);
      if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw notFound;
      let real: string;
      try {
        real = await realpath(wanted);
      } catch {
        throw notFound;
      }
      // A symlink inside the folder must not lead out of it either.
      const realInside = relative(await realpath(root), real);
      if (realInside.startsWith('..') || isAbsolute(realInside)) throw notFound;
      // A folder (even one named x.md) would fail readFile with EISDIR, a 500; a pipe would hang it.
      if (!(await isFile(real))) throw notFound;
      const type = TEXT_TYPES[extname(real).toLowerCase()];
      if (!type) throw new HttpError(415, 'UNSUPPORTED_SOURCE', 'this source is not served as text', 'Open the original document.', 'path');
      reply.type(`${type}; charset=utf-8`);
      return readFile(real, 'utf8');
    },
  });
}

function isFile(path: string): Promise<boolean> {
  return stat(path).then((info) => info.isFile(), () => false);
}
