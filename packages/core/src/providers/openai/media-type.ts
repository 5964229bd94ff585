/** Leading bytes of the formats servers return or accept, to label bytes that come without a name. */
const SIGNATURES: ReadonlyArray<{ mimeType: string; extension: string; test: (b: Uint8Array) => boolean }> = [
  { mimeType: 'image/png', extension: 'png', test: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47]) },
  { mimeType: 'image/jpeg', extension: 'jpg', test: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  { mimeType: 'image/webp', extension: 'webp', test: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP') },
  { mimeType: 'image/gif', extension: 'gif', test: (b) => ascii(b, 0, 'GIF8') },
  { mimeType: 'audio/wav', extension: 'wav', test: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE') },
  { mimeType: 'audio/flac', extension: 'flac', test: (b) => ascii(b, 0, 'fLaC') },
  { mimeType: 'audio/ogg', extension: 'ogg', test: (b) => ascii(b, 0, 'OggS') },
  { mimeType: 'audio/webm', extension: 'webm', test: (b) => starts(b, [0x1a, 0x45, 0xdf, 0xa3]) },
  { mimeType: 'audio/mp4', extension: 'm4a', test: (b) => ascii(b, 4, 'ftyp') },
  { mimeType: 'audio/mpeg', extension: 'mp3', test: (b) => ascii(b, 0, 'ID3') || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0) },
];

export interface MediaType {
  mimeType: string;
  extension: string;
}

export const UNKNOWN_MEDIA: MediaType = { mimeType: 'application/octet-stream', extension: 'bin' };

export function sniffMediaType(bytes: Uint8Array): MediaType {
  const found = SIGNATURES.find((s) => s.test(bytes));
  return found ? { mimeType: found.mimeType, extension: found.extension } : UNKNOWN_MEDIA;
}

function starts(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

function ascii(bytes: Uint8Array, offset: number, text: string): boolean {
  return [...text].every((char, i) => bytes[offset + i] === char.charCodeAt(0));
}
