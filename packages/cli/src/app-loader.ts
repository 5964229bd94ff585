import { FerryHost, findConfigFile } from '@ferry/core';

/**
 * Starts the app found at `configOption` (or the current folder). With no
 * config file the built-in plugin alone is loaded, so commands still work in
 * an empty folder.
 */
export async function startApp(configOption: string | undefined): Promise<FerryHost> {
  const target = configOption ?? process.cwd();
  if (configOption === undefined && findConfigFile(target) === undefined) {
    return FerryHost.start({ config: {}, appDir: target });
  }
  return FerryHost.start({ config: target });
}
