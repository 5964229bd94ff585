import { FerryError, FerryHost, type FerryPlugin, type ImageEmbedder } from '@ferry/core';

const TRANSFORMERS_PACKAGE = '@ferry/provider-transformers';

/**
 * Imported here rather than named in the config: the host's loader resolves
 * package names from the app folder with require conditions, which misses
 * import-only workspace packages.
 */
async function transformersPlugin(): Promise<FerryPlugin> {
  try {
    const mod = (await import(TRANSFORMERS_PACKAGE)) as { plugin: FerryPlugin };
    return mod.plugin;
  } catch (cause) {
    throw new FerryError('PLUGIN_LOAD_FAILED', `cannot load ${TRANSFORMERS_PACKAGE} for a transformers: model`, {
      plugin: TRANSFORMERS_PACKAGE,
      hint: `Install ${TRANSFORMERS_PACKAGE} next to @ferry/plugin-multimodal, or pass --config with a ferry config that loads it.`,
      cause,
    });
  }
}

/**
 * Starts a host for a command: the app's ferry config when --config is
 * given, else core's providers plus `transformers:` for such references.
 */
export async function startHost(modelRef: string, configPath: string | undefined): Promise<FerryHost> {
  if (configPath) return FerryHost.start({ config: configPath });
  const plugins = modelRef.startsWith('transformers:') ? [await transformersPlugin()] : [];
  return FerryHost.start({ config: { plugins } });
}

export async function withImageEmbedder<T>(modelRef: string, configPath: string | undefined, run: (embedder: ImageEmbedder) => Promise<T>): Promise<T> {
  const host = await startHost(modelRef, configPath);
  try {
    return await run(await host.model('image-embedding', modelRef));
  } finally {
    await host.dispose();
  }
}
