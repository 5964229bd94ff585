import { describe, expect, it } from 'vitest';
import { sniffMediaType, UNKNOWN_MEDIA } from './media-type.js';
import { encodeWav } from './wav-encoder.js';

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

describe('sniffMediaType', () => {
  it('recognises the image and audio formats servers send and take', () => {
    expect(sniffMediaType(Uint8Array.from([...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBP')])).mimeType).toBe('image/webp');
    expect(sniffMediaType(encodeWav(new Float32Array(4), 8000))).toEqual({ mimeType: 'audio/wav', extension: 'wav' });
    expect(sniffMediaType(Uint8Array.from(ascii('fLaC'))).extension).toBe('flac');
    expect(sniffMediaType(Uint8Array.from([0, 0, 0, 32, ...ascii('ftypM4A ')])).extension).toBe('m4a');
    expect(sniffMediaType(Uint8Array.of(0xff, 0xfb, 0x90, 0x64)).extension).toBe('mp3');
    expect(sniffMediaType(Uint8Array.of(1, 2, 3))).toEqual(UNKNOWN_MEDIA);
  });
});

describe('encodeWav', () => {
  it('writes a 16-bit mono PCM header and clamped samples', () => {
    const wav = encodeWav(Float32Array.of(0, 1, -1, 2), 16_000);
    const view = new DataView(wav.buffer);
    expect(wav.length).toBe(44 + 8);
    expect(view.getUint32(24, true)).toBe(16_000);
    expect(view.getUint16(34, true)).toBe(16);
    expect([0, 1, 2, 3].map((i) => view.getInt16(44 + i * 2, true))).toEqual([0, 32767, -32768, 32767]);
  });
});
