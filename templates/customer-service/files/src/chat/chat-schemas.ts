import { z } from 'zod';
import { ROUTES } from '../intent-router.js';

/** The session store's id rule, so a bad user_id is a 400 naming the field rather than a store error. */
export const userId = z
  .string()
  .trim()
  .min(1, 'user_id is required')
  .regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'use 1-128 letters, digits and . _ : @ -');

export const chatRequest = z.strictObject({
  user_id: userId,
  message: z.string().trim().min(1, 'message is required').max(4000, 'keep messages under 4,000 characters'),
});

/** A turn as the chat sees it: what was said, and the routing the assistant recorded with it. */
export const chatTurn = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export const source = z.object({ n: z.number().int(), source: z.string(), heading: z.string().optional() });

export const recalled = z.object({ ...chatRequest.shape, history: z.array(chatTurn) });

/**
 * The steps after recall pass its history along unchanged: it was parsed
 * once as recall's output, so later steps check only that it is still the list.
 */
const passedHistory = z.custom<ChatTurn[]>((value) => Array.isArray(value), 'history must be the list the recall step returned');

export const classified = z.object({
  ...recalled.shape,
  history: passedHistory,
  intent: z.string(),
  route: z.enum(ROUTES),
  confidence: z.number(),
});

export const handled = z.object({
  ...classified.shape,
  response: z.string(),
  handoff: z.boolean(),
  sources: z.array(source).optional(),
  /** Set while a multi-turn flow waits for the user, e.g. identity details. */
  awaiting: z.literal('identity').optional(),
  /** The answer model failed; the offline extractive answer stands in. */
  degraded: z.literal(true).optional(),
});

export const chatReply = z.object({
  response: z.string(),
  intent: z.string(),
  route: z.enum(ROUTES),
  confidence: z.number(),
  handoff: z.boolean(),
  sources: z.array(source).optional(),
  degraded: z.literal(true).optional(),
  timestamp: z.string(),
});

export type ChatTurn = z.output<typeof chatTurn>;
export type Classified = z.output<typeof classified>;
export type Handled = z.input<typeof handled>;
export type ChatReply = z.output<typeof chatReply>;
