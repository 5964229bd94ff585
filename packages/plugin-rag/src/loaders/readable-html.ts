import { parseDocument } from 'htmlparser2';

type Node = ReturnType<typeof parseDocument>['children'][number];
type ElementNode = Extract<Node, { name: string; attribs: Record<string, string> }>;

/** Page furniture and non-text elements left out of the readable text. */
const SKIPPED = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'canvas', 'iframe', 'object', 'embed', 'nav', 'footer', 'aside',
  'form', 'button', 'select', 'textarea', 'head', 'dialog', 'menu',
]);
const BLOCKS = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'blockquote', 'figure', 'figcaption', 'ul', 'ol', 'dl', 'dt', 'dd',
  'table', 'thead', 'tbody', 'tfoot', 'address', 'details', 'summary', 'hr', 'body', 'html',
]);
const HEADING = /^h([1-6])$/;

const isElement = (node: Node): node is ElementNode => 'name' in node && 'attribs' in node;
const isText = (node: Node): node is Node & { data: string } => node.type === 'text';

function hidden(element: ElementNode): boolean {
  const role = element.attribs['role'];
  return (
    SKIPPED.has(element.name) ||
    'hidden' in element.attribs ||
    element.attribs['aria-hidden'] === 'true' ||
    role === 'navigation' ||
    role === 'contentinfo' ||
    role === 'banner'
  );
}

function textOf(node: Node): string {
  if (isText(node)) return node.data;
  if (!isElement(node) || hidden(node)) return '';
  return node.children.map(textOf).join(node.name === 'br' ? '\n' : '');
}

function findAll(nodes: Node[], test: (element: ElementNode) => boolean, out: ElementNode[] = []): ElementNode[] {
  for (const node of nodes) {
    if (!isElement(node)) continue;
    if (test(node)) out.push(node);
    findAll(node.children, test, out);
  }
  return out;
}

/** Collects text with pending breaks, so blocks never leave runs of blank lines. */
class TextWriter {
  private out = '';
  private pendingBreak = 0;
  private pendingSpace = false;

  inline(raw: string): void {
    const collapsed = raw.replace(/\s+/g, ' ');
    if (collapsed === '') return;
    const trimmed = collapsed.trim();
    if (collapsed.startsWith(' ')) this.pendingSpace = true;
    if (trimmed !== '') {
      this.emit(trimmed);
      this.pendingSpace = collapsed.endsWith(' ');
    }
  }

  /** Text written as is (pre). */
  verbatim(raw: string): void {
    if (raw !== '') this.emit(raw);
  }

  separator(text: string): void {
    if (this.out !== '' && this.pendingBreak === 0) this.emit(text);
  }

  lineBreak(lines: 1 | 2): void {
    if (this.out !== '') this.pendingBreak = Math.max(this.pendingBreak, lines);
    this.pendingSpace = false;
  }

  private emit(text: string): void {
    if (this.pendingBreak > 0) this.out += '\n'.repeat(this.pendingBreak);
    else if (this.pendingSpace && this.out !== '') this.out += ' ';
    this.pendingBreak = 0;
    this.pendingSpace = false;
    this.out += text;
  }

  toString(): string {
    return this.out;
  }
}

function walk(node: Node, writer: TextWriter): void {
  if (isText(node)) return writer.inline(node.data);
  if (!isElement(node) || hidden(node)) return;
  const heading = HEADING.exec(node.name);
  if (heading) {
    const text = textOf(node).replace(/\s+/g, ' ').trim();
    if (text === '') return;
    writer.lineBreak(2);
    writer.verbatim(`${'#'.repeat(Number(heading[1]))} ${text}`);
    writer.lineBreak(2);
    return;
  }
  switch (node.name) {
    case 'br':
      return writer.lineBreak(1);
    case 'pre':
      writer.lineBreak(2);
      writer.verbatim(textOf(node).replace(/^\n/, '').replace(/\s+$/, ''));
      return writer.lineBreak(2);
    case 'li':
      writer.lineBreak(1);
      writer.verbatim('- ');
      break;
    case 'tr':
      writer.lineBreak(1);
      break;
    case 'td':
    case 'th':
      writer.separator(' | ');
      break;
    case 'img': {
      const alt = node.attribs['alt']?.trim();
      if (alt) writer.inline(` ${alt} `);
      return;
    }
    default:
      if (BLOCKS.has(node.name)) writer.lineBreak(2);
  }
  for (const child of node.children) walk(child, writer);
  if (BLOCKS.has(node.name) || node.name === 'li' || node.name === 'tr') writer.lineBreak(node.name === 'li' || node.name === 'tr' ? 1 : 2);
}

export interface ReadableHtml {
  /** Readable text; headings as markdown `#` lines so heading-aware splitting sees them. */
  text: string;
  title: string | undefined;
}

/**
 * The readable text of an HTML page: the main content (`<main>`, or a single
 * `<article>`, else the body) without scripts, styles, navigation, footers or
 * hidden elements. Title from `<title>`, else the first `<h1>`.
 */
export function readableHtml(html: string): ReadableHtml {
  const document = parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  const titleElement = findAll(document.children, (e) => e.name === 'title')[0];
  const firstH1 = findAll(document.children, (e) => e.name === 'h1')[0];
  const clean = (text: string | undefined): string | undefined => text?.replace(/\s+/g, ' ').trim() || undefined;
  const title = clean(titleElement && textOf(titleElement)) ?? clean(firstH1 && textOf(firstH1));

  const main = findAll(document.children, (e) => e.name === 'main' || e.attribs['role'] === 'main');
  const articles = findAll(document.children, (e) => e.name === 'article');
  const roots: Node[] = main.length > 0 ? [main[0]!] : articles.length === 1 ? [articles[0]!] : document.children;
  const writer = new TextWriter();
  for (const root of roots) walk(root, writer);
  return { text: writer.toString(), title };
}
