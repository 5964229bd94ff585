/** A stretch of a markdown text under one heading (the heading line included). */
export interface MarkdownSection {
  start: number;
  end: number;
  /** Headings above and including this section's own, outermost first. */
  headingPath: string[];
}

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

interface RawSection extends MarkdownSection {
  level: number;
  bodyEmpty: boolean;
}

/**
 * Splits markdown at ATX headings (`#` .. `######`), ignoring `#` lines inside
 * fenced code. A heading with nothing under it but deeper headings joins the
 * next section, so a lone title line never becomes a chunk of its own.
 */
export function markdownSections(text: string): MarkdownSection[] {
  const raw: RawSection[] = [];
  const stack: Array<{ level: number; title: string }> = [];
  let current: RawSection = { start: 0, end: text.length, headingPath: [], level: 0, bodyEmpty: true };
  let fence: string | undefined;
  let offset = 0;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      current.bodyEmpty = false;
      continue;
    }
    const heading = fence === undefined ? ATX_HEADING.exec(line) : null;
    if (!heading) {
      if (line.trim() !== '') current.bodyEmpty = false;
      continue;
    }
    const level = heading[1]!.length;
    const title = (heading[2] ?? '').trim();
    current.end = lineStart;
    raw.push(current);
    while (stack.length > 0 && stack[stack.length - 1]!.level >= level) stack.pop();
    stack.push({ level, title });
    current = { start: lineStart, end: text.length, headingPath: stack.map((h) => h.title).filter(Boolean), level, bodyEmpty: true };
  }
  raw.push(current);

  const sections: MarkdownSection[] = [];
  let pendingStart: number | undefined;
  raw.forEach((section, i) => {
    if (section.end === section.start) return;
    const next = raw[i + 1];
    if (section.bodyEmpty && next !== undefined && next.level > section.level) {
      pendingStart ??= section.start;
      return;
    }
    sections.push({ start: pendingStart ?? section.start, end: section.end, headingPath: section.headingPath });
    pendingStart = undefined;
  });
  return sections;
}
