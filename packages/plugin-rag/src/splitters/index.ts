export { splitDocument, splitDocuments } from './split-document.js';
export { markdownSections, type MarkdownSection } from './markdown-sections.js';
export { resolveSplitOptions, type ResolvedSplitOptions, type SplitOptions, type SplitStrategy, type Tokenizer } from './split-options.js';
