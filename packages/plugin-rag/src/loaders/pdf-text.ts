import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import type { Extracted, ExtractedPart } from './extracted.js';
import { loadError } from './load-error.js';

interface Placed {
  str: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Orders a page's text items top to bottom, then left to right within a line
 * (items whose baselines are within half a line height share a line), so the
 * text reads in page order whatever order the content stream drew it in.
 * A gap between lines wider than about one and a half lines starts a paragraph.
 */
function pageText(items: Placed[]): string {
  const sorted = items.filter((item) => item.str !== '').sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Placed[][] = [];
  for (const item of sorted) {
    const line = lines[lines.length - 1];
    const head = line?.[0];
    if (line && head && Math.abs(head.y - item.y) <= Math.max(head.height, item.height, 1) * 0.5) line.push(item);
    else lines.push([item]);
  }
  let out = '';
  let previous: Placed[] | undefined;
  for (const line of lines) {
    line.sort((a, b) => a.x - b.x);
    let text = '';
    let right = -Infinity;
    for (const item of line) {
      const gap = item.x - right;
      if (text !== '' && gap > item.height * 0.15 && !/\s$/.test(text) && !/^\s/.test(item.str)) text += ' ';
      text += item.str;
      right = item.x + item.width;
    }
    if (previous) {
      const height = Math.max(previous[0]!.height, line[0]!.height, 1);
      out += previous[0]!.y - line[0]!.y > height * 1.6 ? '\n\n' : '\n';
    }
    out += text;
    previous = line;
  }
  return out;
}

/** One part per page (1-based `page`), text in reading order; title from the document info. */
export async function extractPdf(bytes: Uint8Array, source: string): Promise<Extracted> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdf.js takes ownership of the buffer it is given, so hand it a copy.
  const task = pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false, useSystemFonts: false, disableFontFace: true });
  let pdf: Awaited<typeof task.promise>;
  try {
    pdf = await task.promise;
  } catch (error) {
    await task.destroy();
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') {
      throw loadError(source, 'unreadable', 'the PDF is encrypted with a password', 'Save an unprotected copy of the PDF and ingest that.', error);
    }
    throw loadError(source, 'malformed', `not a readable PDF (${error instanceof Error ? error.message : String(error)})`, 'Check that the file is a complete PDF: re-export or re-download it.', error);
  }
  try {
    const info = (await pdf.getMetadata().catch(() => undefined))?.info as { Title?: unknown } | undefined;
    const title = typeof info?.Title === 'string' && info.Title.trim() !== '' ? info.Title.trim() : undefined;
    const parts: ExtractedPart[] = [];
    for (let page = 1; page <= pdf.numPages; page++) {
      const content = await (await pdf.getPage(page)).getTextContent();
      const items = content.items
        .filter((item): item is TextItem => 'str' in item)
        .map((item) => ({ str: item.str, x: item.transform[4] as number, y: item.transform[5] as number, width: item.width, height: item.height || Math.abs(item.transform[3] as number) }));
      parts.push({ text: pageText(items), page });
    }
    return { ...(title ? { title } : {}), parts };
  } catch (error) {
    throw loadError(source, 'malformed', `the PDF is damaged (${error instanceof Error ? error.message : String(error)})`, 'Re-export the PDF, or repair it (e.g. with qpdf) and ingest it again.', error);
  } finally {
    await pdf.destroy();
  }
}
