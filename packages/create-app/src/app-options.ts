import { z } from 'zod';

/** npm's rules for a package name, which the app's folder name becomes by default. */
const NPM_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

export const PROVIDERS = ['offline', 'openai', 'transformers', 'llama'] as const;
export const BACKENDS = ['cpu', 'cuda'] as const;
export const VECTOR_STORES = ['embedded', 'chroma'] as const;
export const SESSION_STORES = ['sqlite', 'redis'] as const;

export const appOptionsSchema = z.strictObject({
  /** Target folder; created when missing. */
  dir: z.string().min(1, 'give the folder to create the app in'),
  name: z
    .string()
    .max(214, 'npm package names are at most 214 characters')
    .regex(NPM_NAME, 'use lowercase letters, digits, "-", "." or "_" (an npm package name), e.g. "support-bot"'),
  template: z.string().min(1),
  /** Extra plugins on top of the template's required ones. */
  plugins: z.array(z.string().min(1)).default([]),
  provider: z.enum(PROVIDERS).default('offline'),
  backend: z.enum(BACKENDS).default('cpu'),
  vectorStore: z.enum(VECTOR_STORES).default('embedded'),
  sessionStore: z.enum(SESSION_STORES).default('sqlite'),
  /** Template-specific variables (`--var key=value`). */
  variables: z.record(z.string(), z.string()).default({}),
  install: z.boolean().default(true),
  force: z.boolean().default(false),
});

export type AppOptions = z.input<typeof appOptionsSchema>;
export type ResolvedAppOptions = z.output<typeof appOptionsSchema>;
