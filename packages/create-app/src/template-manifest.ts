import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FerryError, fromZodError } from '@ferry/core';
import { z } from 'zod';

const variableSchema = z.strictObject({
  description: z.string().min(1),
  default: z.string(),
  /** When given, the value must be one of these. */
  values: z.array(z.string()).min(1).optional(),
});

export const templateManifestSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lowercase letters, digits and dashes, starting with a letter'),
  description: z.string().min(1),
  /** Plugins the generated app always gets, on top of the ones the user picks. */
  requiredPlugins: z.array(z.string().min(1)).default([]),
  /** Template-specific values, set with `--var key=value`. */
  variables: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/), variableSchema).default({}),
  /**
   * Folders, relative to the template, whose files are copied in order; a
   * later folder's file replaces an earlier one with the same path, so
   * templates share `../_shared/files` and override what differs.
   */
  layers: z.array(z.string().min(1)).min(1),
  /** Commands run in the new app after installing, e.g. a first build. */
  postGenerate: z.array(z.strictObject({ name: z.string().min(1), run: z.array(z.string().min(1)).min(1) })).default([]),
});

export type TemplateManifest = z.output<typeof templateManifestSchema>;

export const MANIFEST_FILE = 'template.json';

export async function loadTemplateManifest(templateDir: string): Promise<TemplateManifest> {
  const file = join(templateDir, MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new FerryError('CONFIG_INVALID', `cannot read template manifest ${file}: ${(error as Error).message}`, {
      field: MANIFEST_FILE,
      hint: 'Every template folder needs a template.json with name, description and layers.',
      cause: error,
    });
  }
  const parsed = templateManifestSchema.safeParse(raw);
  if (!parsed.success) throw fromZodError('CONFIG_INVALID', parsed.error, { what: `template manifest ${file}` });
  return parsed.data;
}
