import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { defineRoute, HttpError } from '@ferry/server';
import { CAMPAIGN_ID } from '../campaigns.js';

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** The preview page may show its own images and inline styles, nothing else: no scripts, no outside requests. */
const PREVIEW_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

function isInside(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
}

function isFile(path: string): Promise<boolean> {
  return stat(path).then((info) => info.isFile(), () => false);
}

/** GET /api/campaigns/<id>/<file>: a campaign's banners, images, index.html and campaign.json, only from inside its folder. */
export function campaignFileRoute(campaignsDir: string) {
  return defineRoute({
    method: 'GET',
    url: '/api/campaigns/:id/*',
    scope: 'campaigns',
    handler: async ({ params, reply }) => {
      const notFound = new HttpError(404, 'NOT_FOUND', 'no such campaign file', 'Use a URL from the POST /api/campaigns response.', 'path');
      const id = params['id'] ?? '';
      if (!CAMPAIGN_ID.test(id)) throw notFound;
      const folder = resolve(campaignsDir, id);
      const wanted = resolve(folder, params['*'] ?? '');
      if (!isInside(folder, wanted)) throw notFound;
      const type = TYPES[extname(wanted).toLowerCase()];
      if (!type) throw notFound;
      let real: string;
      try {
        real = await realpath(wanted);
      } catch {
        throw notFound;
      }
      // A symlink inside the folder must not lead out of it either.
      if (!isInside(await realpath(folder), real)) throw notFound;
      // A folder (even one named x.png) would fail readFile with EISDIR, a 500; a pipe would hang it.
      if (!(await isFile(real))) throw notFound;
      reply.type(type).header('x-content-type-options', 'nosniff');
      if (type.startsWith('text/html')) reply.header('content-security-policy', PREVIEW_POLICY);
      return readFile(real);
    },
  });
}
