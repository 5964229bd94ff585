import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { ModuleKind, ModuleResolutionKind, Project, ts, type SourceFile } from 'ts-morph';

/**
 * The app's own source files under `src/`, sorted by path, for reading (and
 * editing) without running them. Test files are left out: their pipelines
 * are not the app's.
 */
export function appSourceFiles(appDir: string): SourceFile[] {
  const src = resolve(appDir, 'src');
  if (!existsSync(src)) return [];
  const glob = src.split(sep).join('/');
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    // Imports between the app's files resolve as in an ESM app (`./steps.js` is `./steps.ts`). Packages
    // and the standard library are not read: what the app imports from core is known by its import
    // declarations, and reading their types would take seconds instead of a tenth of one.
    compilerOptions: { module: ModuleKind.ESNext, moduleResolution: ModuleResolutionKind.Bundler, noEmit: true, noLib: true, types: [] },
    resolutionHost: (host, options) => ({
      resolveModuleNames: (names, containingFile) =>
        names.map((name) => (name.startsWith('.') ? ts.resolveModuleName(name, containingFile, options(), host).resolvedModule : undefined)),
    }),
  });
  project.addSourceFilesAtPaths([`${glob}/**/*.ts`, `!${glob}/**/*.test.ts`, `!${glob}/**/*.d.ts`]);
  return (
    project
      .getSourceFiles()
      // Files src/ imports from outside it are read to follow the import, not the app's own.
      .filter((file) => file.getFilePath().startsWith(`${glob}/`))
      .sort((a, b) => a.getFilePath().localeCompare(b.getFilePath()))
  );
}
