/** The route file `ferry add route` writes: a typed POST endpoint the user fills in. */
export function routeFileSource(exported: string, base: string): string {
  return `import { defineRoute } from '@ferry/server';
import { z } from 'zod';

/** POST /api/${base}: validates the body (a 400 names a bad field) and answers JSON. */
export const ${exported} = defineRoute({
  method: 'POST',
  url: '/api/${base}',
  body: z.strictObject({ text: z.string().min(1) }),
  handler: ({ body }) => ({ received: body.text }),
});
`;
}
