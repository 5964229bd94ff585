import type { Extracted } from './extracted.js';

const FRONT_MATTER = /^---\n([\s\S]*?)\n(?:---|\.\.\.)\n?/;
const FRONT_MATTER_TITLE = /^title:\s*(.+?)\s*$/m;
const FIRST_H1 = /^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/m;

const unquote = (value: string): string => value.replace(/^(['"])(.*)\1$/, '$2');

/** Markdown stays markdown (the splitter reads its headings); YAML front matter only gives the title. */
export function extractMarkdown(text: string): Extracted {
  const front = FRONT_MATTER.exec(text);
  const body = front ? text.slice(front[0].length) : text;
  const fromFront = front ? FRONT_MATTER_TITLE.exec(front[1]!)?.[1] : undefined;
  const title = fromFront !== undefined ? unquote(fromFront) : FIRST_H1.exec(body)?.[1];
  return { ...(title ? { title } : {}), parts: [{ text: body }] };
}
