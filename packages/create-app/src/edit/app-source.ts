import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { FerryError } from '@ferry/core';
import { IndentationText, Project, QuoteKind, type ManipulationSettings, type SourceFile } from 'ts-morph';

/** The file `ferry add plugin` edits, relative to the app folder. */
export const CONFIG_FILE = 'src/ferry.config.ts';

/** The formatting the templates use, so lines `ferry add` inserts look like the surrounding code. */
export const APP_FORMAT: Partial<ManipulationSettings> = { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single, useTrailingCommas: true };

/** Opens files of a generated app for AST edits. */
export function openAppProject(options: { inMemory?: boolean } = {}): Project {
  return new Project({ useInMemoryFileSystem: options.inMemory ?? false, skipAddingFilesFromTsConfig: true, manipulationSettings: APP_FORMAT });
}

export function openAppFile(project: Project, appDir: string, file: string): SourceFile {
  const path = join(appDir, file);
  if (!existsSync(path)) {
    throw new FerryError('CONFIG_NOT_FOUND', `${path} does not exist`, {
      field: file,
      hint: 'Run this in the folder of an app made by create-ferry-app, or pass --dir with that folder.',
    });
  }
  return project.addSourceFileAtPath(path);
}

/** A file that no longer has the shape `ferry add` edits: say what was expected. */
export function unrecognised(file: string, expected: string, manual: string): FerryError {
  return new FerryError('INPUT_INVALID', `${file} was changed beyond what ferry add recognises: ${expected} not found`, {
    field: file,
    hint: `Make the change by hand: ${manual}`,
  });
}

/** Adds `import { name } from 'from'` unless that binding is already imported. */
export function ensureNamedImport(file: SourceFile, name: string, from: string): boolean {
  const existing = file.getImportDeclaration((d) => d.getModuleSpecifierValue() === from);
  if (existing) {
    if (existing.getNamedImports().some((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === name)) return false;
    existing.addNamedImport(name);
    return true;
  }
  const imports = file.getImportDeclarations();
  file.insertImportDeclaration(imports.length, { namedImports: [name], moduleSpecifier: from });
  return true;
}

/** `module` (an absolute path, as imported) as `file` imports it: `./routes/status-route.js`. */
export function importPath(file: SourceFile, module: string): string {
  const path = relative(dirname(file.getFilePath()), module).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}
