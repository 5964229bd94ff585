import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitDocument } from '../splitters/index.js';
import { makeDocx, makePdf } from './fixture-files.test-helper.js';
import { loadFailureOf } from './load-error.js';
import { loadFile } from './load-file.js';

const sharedData = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-loaders-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  return path;
}

/** The load failure reason of a rejected promise (and that it is an INPUT_INVALID FerryError with a hint). */
async function failure(promise: Promise<unknown>): Promise<{ reason: string | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    expect((error as { code?: string }).code).toBe('INPUT_INVALID');
    expect((error as { hint?: string }).hint).toBeTruthy();
    return { reason: loadFailureOf(error), message: (error as Error).message };
  }
  throw new Error('expected the load to fail');
}

describe('text files', () => {
  it('loads UTF-8 with a BOM and CRLF, with full metadata', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Line one\r\nLine two 中文\r\n', 'utf8')]);
    const path = await file('notes/readme.txt', bytes);
    const [doc, ...rest] = await loadFile(path, { root: dir });
    expect(rest).toEqual([]);
    expect(doc!.text).toBe('Line one\nLine two 中文');
    expect(doc!.metadata).toMatchObject({
      source: 'notes/readme.txt',
      title: 'readme',
      type: 'txt',
      contentHash: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(doc!.metadata.mtimeMs).toBeGreaterThan(0);
    expect((await loadFile(path))[0]!.metadata.source).toBe(path);
  });

  it('detects UTF-16 by its BOM and falls back to Windows-1252', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo 世界', 'utf16le')]);
    const be = Buffer.from(le.subarray(2)).swap16();
    expect((await loadFile(await file('le.txt', le)))[0]!.text).toBe('héllo 世界');
    expect((await loadFile(await file('be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), be]))))[0]!.text).toBe('héllo 世界');
    expect((await loadFile(await file('latin.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80]))))[0]!.text).toBe('café €');
  });

  it('reads GBK Chinese, and the charset an HTML page declares', async () => {
    const gbk = Buffer.from('b3a4bdadcac7d6d0b9fad7eeb3a4b5c4bad3c1f7a1a3', 'hex');
    expect((await loadFile(await file('gbk.txt', gbk)))[0]!.text).toBe('长江是中国最长的河流。');
    const sjis = Buffer.concat([Buffer.from('<meta charset="shift_jis"><p>'), Buffer.from('93fa967b', 'hex'), Buffer.from('</p>')]);
    expect((await loadFile(await file('sjis.html', sjis)))[0]!.text).toBe('日本');
  });

  it('takes the markdown title from front matter, else the first h1', async () => {
    const front = await loadFile(await file('a.md', '---\ntitle: "Leave policy"\nowner: hr\n---\n# Leave\n\nText.'));
    expect(front[0]).toMatchObject({ text: '# Leave\n\nText.', metadata: { title: 'Leave policy', type: 'md' } });
    expect((await loadFile(await file('b.markdown', 'Intro\n\n# Main title\n\nBody')))[0]!.metadata.title).toBe('Main title');
  });

  it('loads a type given explicitly', async () => {
    const [doc] = await loadFile(await file('page.mdx', '# Hi\n\nthere'), { type: 'md' });
    expect(doc!.metadata.type).toBe('md');
  });
});

describe('html', () => {
  const page = `<!doctype html><html><head><title>Travel &amp; expenses</title><style>p{color:red}</style>
    <script>var secret = 1;</script></head><body>
    <nav><a href="/">Home</a> | <a href="/hr">HR</a></nav>
    <main><h1>Expenses</h1><p>Keep   every
      receipt.</p><h2>Hotels</h2><p>Up to <b>150&nbsp;EUR</b> a night.<br>Breakfast included.</p>
      <ul><li>Book early</li><li>Use the portal</li></ul>
      <table><tr><th>City</th><th>Limit</th></tr><tr><td>Paris</td><td>180</td></tr></table>
      <p hidden>draft text</p></main>
    <footer>© Example Corp</footer></body></html>`;

  it('keeps the readable text with headings as # lines', async () => {
    const [doc] = await loadFile(await file('expenses.html', page));
    expect(doc!.metadata.title).toBe('Travel & expenses');
    expect(doc!.text).toBe(
      '# Expenses\n\nKeep every receipt.\n\n## Hotels\n\nUp to 150 EUR a night.\nBreakfast included.\n\n- Book early\n- Use the portal\n\nCity | Limit\nParis | 180',
    );
    const chunks = splitDocument(doc!, { chunkSize: 60, chunkOverlap: 0 });
    expect(chunks.find((c) => c.text.includes('Breakfast'))!.metadata.headingPath).toEqual(['Expenses', 'Hotels']);
  });

  it('titles a page without <title> by its first h1, and an empty page is an error', async () => {
    expect((await loadFile(await file('b.htm', '<body><div><h1>Only heading</h1>text</div></body>')))[0]!.metadata.title).toBe('Only heading');
    const article = '<body><div class="menu">Home · About</div><article><h2>Notice</h2><p>Office closed on Friday.</p></article></body>';
    expect((await loadFile(await file('article.html', article)))[0]!.text).toBe('## Notice\n\nOffice closed on Friday.');
    expect((await failure(loadFile(await file('scripts.html', '<html><script>x()</script><nav>menu</nav></html>')))).reason).toBe('empty');
  });
});

describe('pdf', () => {
  it('gives one document per page in reading order', async () => {
    const pdf = makePdf([['Quarterly report (draft)', 'Revenue grew by 12%.'], [], ['Outlook: stable.']], { title: 'Q3 report', scrambled: true });
    const docs = await loadFile(await file('q3.pdf', pdf), { root: dir });
    expect(docs.map((d) => [d.metadata.page, d.text])).toEqual([
      [1, 'Quarterly report (draft)\nRevenue grew by 12%.'],
      [3, 'Outlook: stable.'],
    ]);
    expect(docs[0]!.metadata).toMatchObject({ source: 'q3.pdf', title: 'Q3 report', type: 'pdf' });
  });

  it('reports a malformed or truncated PDF, and one without text', async () => {
    expect((await failure(loadFile(await file('bad.pdf', '%PDF-1.4\nthis is not a pdf')))).reason).toBe('malformed');
    const whole = makePdf([['Some text']]);
    expect((await failure(loadFile(await file('cut.pdf', whole.subarray(0, 60)))))).toMatchObject({ reason: expect.stringMatching(/malformed|empty/) });
    expect((await failure(loadFile(await file('blank.pdf', makePdf([[]]))))).message).toMatch(/OCR|scanned/);
  });
});

describe('docx', () => {
  it('keeps Word headings for the heading path', async () => {
    const docx = makeDocx([
      { text: 'Employee handbook', style: 'Title' },
      { text: 'Leave', style: 'Heading1' },
      { text: 'Staff get 25 days of paid leave & public holidays.' },
      { text: 'Sick leave', style: 'Heading2' },
      { text: 'Report sickness before 10:00.' },
    ]);
    const [doc] = await loadFile(await file('handbook.docx', docx));
    expect(doc!.metadata).toMatchObject({ title: 'Employee handbook', type: 'docx' });
    expect(doc!.text).toBe(
      '# Employee handbook\n\n# Leave\n\nStaff get 25 days of paid leave & public holidays.\n\n## Sick leave\n\nReport sickness before 10:00.',
    );
    const chunks = splitDocument(doc!, { chunkSize: 60, chunkOverlap: 0 });
    expect(chunks.find((c) => c.text.includes('10:00'))!.metadata.headingPath).toEqual(['Leave', 'Sick leave']);
  });

  it('reports a file that is not a docx', async () => {
    expect((await failure(loadFile(await file('fake.docx', 'plain text, not a zip')))).reason).toBe('malformed');
  });
});

describe('csv and json', () => {
  it('gives one document per CSV row of `column: value` lines', async () => {
    const csv = 'question,answer,notes\r\n"How do I reset my password?","Use the ""Forgot password"" link, then check your mail.",\r\n\r\nWhere is the office?,"Main St 1\nfloor 2",near the station\r\n';
    const docs = await loadFile(await file('faq.csv', csv));
    expect(docs.map((d) => [d.metadata.row, d.text])).toEqual([
      [1, 'question: How do I reset my password?\nanswer: Use the "Forgot password" link, then check your mail.'],
      [2, 'question: Where is the office?\nanswer: Main St 1\nfloor 2\nnotes: near the station'],
    ]);
    expect(docs[0]!.metadata.type).toBe('csv');
  });

  it('sniffs semicolons, reads TSV, and names the line of an unclosed quote', async () => {
    expect((await loadFile(await file('semi.csv', 'name;city\nAda;London\n')))[0]).toMatchObject({ text: 'name: Ada\ncity: London', metadata: { title: 'Ada' } });
    expect((await loadFile(await file('t.tsv', 'a\tb\n1,5\t2\n')))[0]!.text).toBe('a: 1,5\nb: 2');
    expect((await failure(loadFile(await file('open.csv', 'a,b\n1,2\n3,"open\n')))).message).toMatch(/line 3/);
  });

  it('loads the BANKING77 test set: one document per row, quoted commas kept', async () => {
    const docs = await loadFile(join(sharedData, 'intents/test.csv'), { root: sharedData });
    expect(docs).toHaveLength(3080);
    expect(docs[1]).toMatchObject({
      text: 'text: I still have not received my new card, I ordered over a week ago.\ncategory: card_arrival',
      metadata: { source: 'intents/test.csv', row: 2 },
    });
    const categories = await loadFile(join(sharedData, 'intents/categories.json'));
    expect(categories).toHaveLength(77);
    expect(categories[0]!.text).toBe('card_arrival');
  });

  it('gives one document per JSON record and per JSON Lines line', async () => {
    const json = JSON.stringify([{ title: 'VPN', body: 'Connect with the VPN app.', tags: ['it', 'network'], meta: { owner: 'IT', pages: 2 } }, { body: '' }, 'A plain string record.']);
    const docs = await loadFile(await file('kb.json', json));
    expect(docs.map((d) => [d.metadata.row, d.metadata.title, d.text])).toEqual([
      [1, 'VPN', 'title: VPN\nbody: Connect with the VPN app.\ntags: it, network\nmeta.owner: IT\nmeta.pages: 2'],
      [3, 'kb', 'A plain string record.'],
    ]);
    const lines = await loadFile(await file('kb.jsonl', '{"q":"one"}\n\n{"q":"two"}\n'));
    expect(lines.map((d) => d.text)).toEqual(['q: one', 'q: two']);
  });

  it('names the line of invalid JSON', async () => {
    expect((await failure(loadFile(await file('bad.json', '[\n  {"a": 1},\n  {"b": }\n]')))).message).toMatch(/line 3, column 9/);
    expect((await failure(loadFile(await file('bad.jsonl', '{"a":1}\n{"b":2}\n{"c":\n')))).message).toMatch(/line 3/);
  });
});

describe('bad input', () => {
  it('reports unsupported, unreadable, empty and binary files', async () => {
    expect((await failure(loadFile(await file('image.png', 'x')))).reason).toBe('unsupported-type');
    expect((await failure(loadFile(join(dir, 'missing.txt')))).reason).toBe('unreadable');
    await mkdir(join(dir, 'folder.txt'), { recursive: true });
    expect((await failure(loadFile(join(dir, 'folder.txt')))).reason).toBe('unreadable');
    expect((await failure(loadFile(await file('empty.txt', '')))).reason).toBe('empty');
    expect((await failure(loadFile(await file('blank.md', '\n  \n')))).reason).toBe('empty');
    expect((await failure(loadFile(await file('binary.txt', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1]))))).reason).toBe('malformed');
  });
});
