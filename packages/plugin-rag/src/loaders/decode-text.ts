import { loadError } from './load-error.js';

/** Windows-1252's 0x80..0x9F (Node's decoder treats the label as Latin-1 and misses these). */
const CP1252_HIGH = String.fromCharCode(
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
);
const CP1252_FIX = /[\u0080-\u009f]/g;

function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes).replace(CP1252_FIX, (c) => CP1252_HIGH.charAt(c.charCodeAt(0) - 0x80));
}

/**
 * Whether bytes that are not UTF-8 read as GBK / GB18030 Chinese: nearly every
 * byte over 0x80 pairs with another in the GB2312 range (A1..FE). Latin-1 text
 * has lone accented bytes between ASCII letters, which fails this.
 */
function looksLikeGbk(bytes: Uint8Array): boolean {
  let pairs = 0;
  let gb2312 = 0;
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i]!;
    if (lead < 0x81) continue;
    const trail = bytes[i + 1] ?? 0;
    pairs++;
    if (lead >= 0xa1 && lead <= 0xf7 && trail >= 0xa1 && trail <= 0xfe) gb2312++;
    i++;
  }
  return pairs > 0 && gb2312 >= pairs * 0.95;
}

function decodeWith(label: string, bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Bytes to text: UTF-8 (BOM dropped), UTF-16 when it has a BOM, else the
 * charset the file declares (an HTML `<meta charset>`), GBK Chinese when the
 * bytes look like it, and Windows-1252 for other legacy files. Line endings
 * become `\n` so that offsets are the same on every platform.
 */
export function decodeText(bytes: Uint8Array, source: string, declaredCharset?: string): string {
  let text: string | undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    if (body.subarray(0, 8192).includes(0)) {
      throw loadError(source, 'malformed', 'looks like a binary file (it has NUL bytes) but its type is text', 'Check the file extension, or leave binary files out with an exclude glob.');
    }
    text = decodeWith('utf-8', body);
    if (text === undefined && declaredCharset !== undefined) text = decodeWith(declaredCharset, body);
    if (text === undefined && looksLikeGbk(body)) text = decodeWith('gb18030', body);
    text ??= decodeWindows1252(body);
  }
  return text.replace(/\r\n?/g, '\n');
}

/** The charset an HTML page declares in its first 2 KiB (`<meta charset>` or http-equiv). */
export function declaredHtmlCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  return /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
}
