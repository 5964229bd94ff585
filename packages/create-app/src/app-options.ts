import { z } from 'zod';

/** npm's rules for a package name, which the app's folder name becomes by default. */
const NPM_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/**
 * A plugin the app loads: a local module ("./", "../" or "/", loaded by the
 * app, never installed) or an npm package name. Package names become folders
 * under node_modules when dependencies are linked, so "../.." or "a/../../b"
 * is refused rather than let a link or its removal land outside the app.
 */
export const pluginNameSchema = z
  .string()
  .min(1, 'give a plugin package name, e.g. "@ferry/plugin-rag"')
  .refine((plugin) => plugin.startsWith('.') || plugin.startsWith('/') || NPM_NAME.test(plugin), 'use an npm package name (e.g. "@ferry/plugin-rag") or a local path starting with "./"');

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
  plugins: z.array(pluginNameSchema).default([]),
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
