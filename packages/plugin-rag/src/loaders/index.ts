export { loadFile, sourceName, type LoadFileOptions } from './load-file.js';
export { loadDirectory, type LoadDirectoryOptions, type LoadedDirectory, type SkippedSource } from './load-directory.js';
export {
  DEFAULT_EXCLUDE,
  DEFAULT_INCLUDE,
  listSourceFiles,
  scanSourceFiles,
  type SourceFile,
  type SourceFileOptions,
  type SourceScan,
} from './source-files.js';
export { EXTENSION_TYPES, SUPPORTED_EXTENSIONS, sourceTypeOf, type SourceType } from './file-types.js';
export { loadFailureOf, type LoadFailure } from './load-error.js';
export { readableHtml, type ReadableHtml } from './readable-html.js';
