/** What a format loader pulls out of a file, before loadFile adds the file's metadata. */
export interface ExtractedPart {
  text: string;
  page?: number;
  row?: number;
  /** Overrides the file's title for this part (a record's own title field). */
  title?: string;
}

export interface Extracted {
  title?: string;
  parts: ExtractedPart[];
}

/** Drops trailing spaces on lines, runs of blank lines and blank ends; the rest stays as written. */
export function tidy(text: string): string {
  return text
    .replace(/[^\S\n]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
