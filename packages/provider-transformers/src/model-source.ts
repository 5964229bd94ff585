import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { FerryError } from '@ferry/core';
import { z } from 'zod';

/** Where a `transformers:<model>` reference points. */
export interface ModelSource {
  /** The text after `transformers:`. */
  model: string;
  /** What transformers.js's `from_pretrained` gets: an absolute folder, or a hub id to download. */
  id: string;
  /** `folder`: a local folder; `cache`: a hub id found in `cacheDir`; `hub`: to be downloaded. */
  kind: 'folder' | 'cache' | 'hub';
  /** The local folder holding the files (absent for `hub`). */
  folder?: string;
}

export interface LocateSettings {
  allowRemote: boolean;
  cacheDir?: string | undefined;
  baseDir: string;
}

const HUB_ID = /^[\w.-]+(?:\/[\w.-]+)?$/;
const EXAMPLE_HUB_ID = 'Xenova/all-MiniLM-L6-v2';

/**
 * Paths (`/abs`, `./rel`, `../rel`, `~/x`) must exist. A bare name is a local
 * folder if one exists under `baseDir`, else a cached hub model, else a hub id
 * that only `allowRemote` may download: refused here, before any network call.
 */
export async function locateModel(model: string, settings: LocateSettings): Promise<ModelSource> {
  const ref = `transformers:${model}`;
  if (isPathLike(model)) {
    const folder = resolvePath(model, settings.baseDir);
    await assertFolder(folder, ref, settings.baseDir);
    return { model, id: folder, kind: 'folder', folder };
  }
  const local = resolve(settings.baseDir, model);
  if (await isDirectory(local)) return { model, id: local, kind: 'folder', folder: local };
  if (!HUB_ID.test(model) || model.split('/').some((part) => part === '.' || part === '..')) {
    throw new FerryError('MODEL_REF_INVALID', `"${ref}" is neither an existing folder (${local}) nor a hub id`, {
      field: 'model',
      hint: `Write a folder path ("transformers:./models/my-model") or a hub id ("transformers:${EXAMPLE_HUB_ID}").`,
    });
  }
  const cached = settings.cacheDir === undefined ? undefined : resolve(settings.baseDir, settings.cacheDir, model);
  if (cached !== undefined && (await isFile(join(cached, 'config.json')))) return { model, id: cached, kind: 'cache', folder: cached };
  if (!settings.allowRemote) {
    const looked = cached === undefined ? `no folder ${local}, and no cacheDir is set` : `no folder ${local} nor ${cached}`;
    throw new FerryError('MODEL_NOT_FOUND', `"${ref}" is not on this machine (${looked}) and remote downloads are off`, {
      field: 'model',
      hint: `Set "allowRemote: true" in the @ferry/provider-transformers config to download "${model}" from the Hugging Face hub, or download the model folder and reference it by path ("transformers:./models/${model.split('/').pop() ?? model}").`,
      details: { model, looked: cached === undefined ? [local] : [local, cached] },
    });
  }
  return { model, id: model, kind: 'hub' };
}

/** A file every model of a task needs, and what to do when it is missing. */
export interface RequiredFile {
  path: string;
  why: string;
  hint: string;
}

/** Checks the files a task will load exist, so a gap is named before transformers.js trips over it. */
export async function assertModelFiles(source: ModelSource, files: readonly RequiredFile[]): Promise<void> {
  if (source.folder === undefined) return;
  for (const file of files) {
    const path = join(source.folder, file.path);
    if (!(await isFile(path))) {
      throw new FerryError('MODEL_NOT_FOUND', `"transformers:${source.model}" has no ${file.path} (${file.why}): ${path} is missing`, {
        field: 'model',
        hint: file.hint,
        details: { folder: source.folder, file: path },
      });
    }
  }
}

const modelConfigSchema = z.looseObject({
  model_type: z.string().min(1, 'must name the architecture'),
  architectures: z.array(z.string()).optional(),
  id2label: z.record(z.string(), z.string()).optional(),
});

export type ModelConfigFile = z.output<typeof modelConfigSchema>;

/** Reads and checks `config.json`; `undefined` for a hub model not downloaded yet. */
export async function readModelConfig(source: ModelSource): Promise<ModelConfigFile | undefined> {
  if (source.folder === undefined) return undefined;
  const path = join(source.folder, 'config.json');
  await assertModelFiles(source, [
    {
      path: 'config.json',
      why: 'the model configuration every Hugging Face model folder has',
      hint: `Copy the model's config.json into ${source.folder}, or point "transformers:" at the folder that has it.`,
    },
  ]);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new FerryError('INPUT_INVALID', `${path} is not valid JSON: ${(error as Error).message}`, {
      field: 'model',
      hint: `Restore ${path} from the model's original files.`,
      cause: error,
    });
  }
  const parsed = modelConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FerryError('INPUT_INVALID', `${path} is not a model config: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? 'is invalid'}`, {
      field: 'model',
      hint: `Restore ${path} from the model's original files (it needs at least "model_type").`,
    });
  }
  return parsed.data;
}

function isPathLike(model: string): boolean {
  return model.startsWith('/') || model.startsWith('.') || model.startsWith('~') || model.includes('\\') || /^[A-Za-z]:/.test(model);
}

function resolvePath(model: string, baseDir: string): string {
  if (model === '~' || model.startsWith('~/')) return join(homedir(), model.slice(1));
  return isAbsolute(model) ? model : resolve(baseDir, model);
}

async function assertFolder(folder: string, ref: string, baseDir: string): Promise<void> {
  const info = await stat(folder).catch(() => undefined);
  if (info?.isDirectory()) return;
  throw new FerryError('MODEL_NOT_FOUND', `model folder ${folder} ${info ? 'is a file, not a folder' : 'does not exist'} (from "${ref}")`, {
    field: 'model',
    hint: `Point "transformers:" at a model folder holding config.json and onnx/ (relative paths start from ${baseDir}), or use a hub id such as "transformers:${EXAMPLE_HUB_ID}" with allowRemote: true.`,
    details: { folder },
  });
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
