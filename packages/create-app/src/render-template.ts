import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { FerryError } from '@ferry/core';
import Handlebars from 'handlebars';
import type { TemplateContext } from './template-context.js';
import type { TemplateManifest } from './template-manifest.js';

export interface RenderedFile {
  /** Path inside the app, `/`-separated. */
  path: string;
  content: Buffer;
}

const RENDERED_SUFFIX = '.hbs';

function createEnvironment(): typeof Handlebars {
  const env = Handlebars.create();
  env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  env.registerHelper('includes', (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item));
  env.registerHelper('json', (value: unknown) => JSON.stringify(value));
  return env;
}

/**
 * Renders a template's layers into file contents, in memory: `*.hbs` files go
 * through Handlebars (without HTML escaping: these are source files), the rest
 * are copied byte for byte. Later layers replace earlier files of the same path.
 */
export async function renderTemplate(templateDir: string, manifest: TemplateManifest, context: TemplateContext): Promise<RenderedFile[]> {
  const env = createEnvironment();
  const files = new Map<string, RenderedFile>();
  for (const layer of manifest.layers) {
    const layerDir = resolve(templateDir, layer);
    for (const absolute of await walk(layerDir, manifest.name, layer)) {
      const stored = relative(layerDir, absolute).split(sep).join('/');
      const relativePath = dotFiles(stored);
      if (relativePath.split('/').some((segment) => segment === '.' || segment === '..')) {
        throw new FerryError('CONFIG_INVALID', `template file ${layer}/${stored} would be written to ${relativePath}, outside the app folder`, {
          field: `${layer}/${stored}`,
          hint: 'Rename it: "dot-" stands for a leading dot (dot-gitignore -> .gitignore), so "dot-" and "dot-." make "." and "..", which are not file names.',
        });
      }
      const raw = await readFile(absolute);
      if (relativePath.endsWith(RENDERED_SUFFIX)) {
        const path = relativePath.slice(0, -RENDERED_SUFFIX.length);
        files.set(path, { path, content: Buffer.from(renderOne(env, raw.toString('utf8'), `${layer}/${relativePath}`, context)) });
      } else {
        files.set(relativePath, { path: relativePath, content: raw });
      }
    }
  }
  return [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * `dot-gitignore` becomes `.gitignore`: npm drops or renames dot files when it
 * packs a package, so templates store them without the dot.
 */
function dotFiles(path: string): string {
  return path
    .split('/')
    .map((segment) => (segment.startsWith('dot-') ? `.${segment.slice(4)}` : segment))
    .join('/');
}

function renderOne(env: typeof Handlebars, source: string, where: string, context: TemplateContext): string {
  try {
    return env.compile(source, { noEscape: true, strict: true })(context);
  } catch (error) {
    throw new FerryError('CONFIG_INVALID', `template file ${where} does not render: ${(error as Error).message}`, {
      field: where,
      hint: 'Fix the Handlebars in that file; variables come from the template context (name, provider, vectorStore, vars.*).',
      cause: error,
    });
  }
}

async function walk(dir: string, template: string, layer: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new FerryError('CONFIG_INVALID', `template "${template}" lists layer "${layer}", which cannot be read (${dir})`, {
      field: 'layers',
      hint: 'Each entry of "layers" in template.json must be a folder relative to the template.',
      cause: error,
    });
  }
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path, template, layer)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
