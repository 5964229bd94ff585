import type { FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { z } from 'zod';
import type { ApiKeyIdentity } from '../auth/api-keys.js';
import { badRequestFromZod } from './http-error.js';

/** What a Ferry route handler gets: parsed input, the caller's key, and the raw request/reply. */
export interface RouteContext<Body, Query> {
  body: Body;
  query: Query;
  params: Record<string, string>;
  /** The authenticated key; undefined only on public routes. */
  apiKey: ApiKeyIdentity | undefined;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface FerryRouteDefinition<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: HTTPMethods | HTTPMethods[];
  url: string;
  /** Validates the JSON body; a failure is a 400 naming the field. */
  body?: B;
  /** Validates the query string the same way. */
  query?: Q;
  /**
   * The scope a key needs (`chat`, `embeddings`, `admin`, or your own).
   * `null` makes the route public; left out, any valid key may call it.
   */
  scope?: string | null;
  /** Overrides the server's body limit for this route (bytes). */
  bodyLimit?: number;
  handler(ctx: RouteContext<z.output<B>, z.output<Q>>): unknown;
}

/** Types a route declaration; register it with `server.route(definition)`. */
export function defineRoute<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(
  definition: FerryRouteDefinition<B, Q>,
): FerryRouteDefinition<B, Q> {
  return definition;
}

/** Parses body and query with the route's schemas, throwing a 400 that names the field. */
export function parseRouteInput<B extends z.ZodType, Q extends z.ZodType>(
  definition: FerryRouteDefinition<B, Q>,
  request: FastifyRequest,
): { body: z.output<B>; query: z.output<Q> } {
  let body: unknown = request.body;
  let query: unknown = request.query;
  if (definition.body) {
    const parsed = definition.body.safeParse(body);
    if (!parsed.success) throw badRequestFromZod(parsed.error, 'body');
    body = parsed.data;
  }
  if (definition.query) {
    const parsed = definition.query.safeParse(query);
    if (!parsed.success) throw badRequestFromZod(parsed.error, 'query');
    query = parsed.data;
  }
  return { body: body as z.output<B>, query: query as z.output<Q> };
}
