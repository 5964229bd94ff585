/** Where a piece of text came from; every chunk carries it into citations. */
export interface SourceMetadata {
  /** Path relative to the ingest root (or absolute when loaded alone), `/`-separated. */
  source: string;
  title?: string;
  /** Markdown / HTML / docx headings above the text, outermost first. */
  headingPath?: string[];
  /** 1-based page number (pdf). */
  page?: number;
  /** Row number for csv/json records (1-based, header excluded). */
  row?: number;
  /** sha256 hex of the whole source file's bytes: incremental ingest compares it. */
  contentHash: string;
  /** File modification time, ms since epoch. */
  mtimeMs?: number;
  /** Loader that produced it: txt, md, html, pdf, docx, csv, json. */
  type: string;
}

/** A loaded unit of text (a file, a pdf page, a csv row) before splitting. */
export interface LoadedDocument {
  text: string;
  metadata: SourceMetadata;
}

export type MetadataValue = string | number | boolean;

/** A piece of a document, the unit stored and retrieved. */
export interface Chunk {
  /** Stable: `${source}#${index}` so re-ingest replaces rather than duplicates. */
  id: string;
  text: string;
  metadata: SourceMetadata & {
    /** 0-based position of the chunk within its source. */
    chunkIndex: number;
    /** Character offsets of the chunk in its LoadedDocument's text. */
    start: number;
    end: number;
  };
}
