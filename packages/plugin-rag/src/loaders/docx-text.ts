import mammoth from 'mammoth';
import type { Extracted } from './extracted.js';
import { loadError } from './load-error.js';
import { readableHtml } from './readable-html.js';

/** Word's title styles become headings too, so the title lands in the heading path. */
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];

/** docx through mammoth's HTML, so Word headings become `#` lines like an HTML page's. */
export async function extractDocx(bytes: Buffer, source: string): Promise<Extracted> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: bytes }, { styleMap: STYLE_MAP })).value;
  } catch (error) {
    throw loadError(source, 'malformed', `not a readable .docx (${error instanceof Error ? error.message : String(error)})`, 'Open the file in Word or LibreOffice and save it again as .docx (old .doc files must be converted).', error);
  }
  const { text, title } = readableHtml(html);
  return { ...(title ? { title } : {}), parts: [{ text }] };
}
