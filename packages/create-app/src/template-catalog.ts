import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FerryError } from '@ferry/core';
import { loadTemplateManifest, MANIFEST_FILE, type TemplateManifest } from './template-manifest.js';

export interface TemplateEntry {
  dir: string;
  manifest: TemplateManifest;
}

/**
 * Where templates live: the monorepo's `templates/` during development, the
 * copy packed into the published package otherwise.
 */
export function defaultTemplatesDir(): string {
  const packageDir = fileURLToPath(new URL('..', import.meta.url));
  for (const candidate of [join(packageDir, '..', '..', 'templates'), join(packageDir, 'templates')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new FerryError('CONFIG_NOT_FOUND', `no templates folder found next to ${packageDir}`, {
    hint: 'Reinstall create-ferry-app; its package ships a templates folder.',
  });
}

/** Templates are the folders with a template.json; `_shared` and the like hold layers only. */
export async function listTemplates(templatesDir = defaultTemplatesDir()): Promise<TemplateEntry[]> {
  const entries = await readdir(templatesDir, { withFileTypes: true });
  const templates: TemplateEntry[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = join(templatesDir, entry.name);
    if (existsSync(join(dir, MANIFEST_FILE))) templates.push({ dir, manifest: await loadTemplateManifest(dir) });
  }
  return templates;
}

export async function findTemplate(name: string, templatesDir = defaultTemplatesDir()): Promise<TemplateEntry> {
  const templates = await listTemplates(templatesDir);
  const found = templates.find((t) => t.manifest.name === name);
  if (!found) {
    throw new FerryError('INPUT_INVALID', `unknown template "${name}"`, {
      field: 'template',
      hint: `Use one of: ${templates.map((t) => t.manifest.name).join(', ') || '(none found)'}.`,
    });
  }
  return found;
}
