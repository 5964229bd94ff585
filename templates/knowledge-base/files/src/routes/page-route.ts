import { readFileSync } from 'node:fs';
import { defineRoute } from '@ferry/server';

const PAGE = readFileSync(new URL('../../public/index.html', import.meta.url), 'utf8');

/** GET /: the chat page (public; it asks for an API key when the server needs one). */
export const pageRoute = defineRoute({
  method: 'GET',
  url: '/',
  scope: null,
  handler: ({ reply }) => {
    reply.type('text/html; charset=utf-8');
    return PAGE;
  },
});
