export interface DecodedPayload {
  readonly encoding: 'base64' | 'hex' | 'rot13';
  readonly text: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decoded bytes count as a payload only if they read as text; random IDs and hashes decode to junk. */
function asText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  const readable = text.replace(/[^\p{L}\p{N}\p{P}\p{Zs}\n\r\t]/gu, '').length;
  return text.length >= 6 && readable / text.length >= 0.9 ? text : undefined;
}

/**
 * Text smuggled past filters in an encoding the model can read: base64 and hex
 * runs, and the whole message through rot13 (cheap, and keywords rarely survive it by chance).
 */
export function decodePayloads(text: string): DecodedPayload[] {
  const out: DecodedPayload[] = [];
  for (const [run] of text.matchAll(/[A-Za-z0-9+/_-]{16,}={0,2}/g)) {
    const decoded = asText(Buffer.from(run, run.includes('-') || run.includes('_') ? 'base64url' : 'base64'));
    if (decoded !== undefined) out.push({ encoding: 'base64', text: decoded });
  }
  for (const [run] of text.matchAll(/(?:(?:\\x|0x)?[0-9a-fA-F]{2}[\s,:]?){8,}/g)) {
    const hex = run.replace(/\\x|0x|[\s,:]/g, '');
    const decoded = asText(Buffer.from(hex, 'hex'));
    if (decoded !== undefined) out.push({ encoding: 'hex', text: decoded });
  }
  const rotated = rot13(text);
  if (rotated !== text) out.push({ encoding: 'rot13', text: rotated });
  return out;
}

function rot13(s: string): string {
  return s.replace(/[A-Za-z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}
