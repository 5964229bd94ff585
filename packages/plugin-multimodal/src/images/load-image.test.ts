import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFerryError } from '@ferry/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImage } from './load-image.js';

let dir: string;
let server: Server;
let base: string;
let png: Buffer;

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (!isFerryError(error)) throw error;
    expect(error.hint.length).toBeGreaterThan(10);
    return String(error.details?.['reason']);
  }
  throw new Error('expected a FerryError');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-load-image-'));
  png = await sharp({ create: { width: 40, height: 30, channels: 4, background: { r: 200, g: 10, b: 10, alpha: 0.5 } } }).png().toBuffer();
  server = createServer((req, res) => {
    if (req.url === '/img.png') return res.end(png);
    if (req.url === '/big') return res.end(Buffer.alloc(4096));
    if (req.url === '/redirect') return res.writeHead(302, { location: '/img.png' }).end();
    if (req.url === '/slow') return setTimeout(() => res.end(png), 2000);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('loadImage', () => {
  it('decodes a PNG from bytes and from a file, keeping alpha', async () => {
    const file = join(dir, 'a.png');
    await writeFile(file, png);
    for (const input of [new Uint8Array(png), { path: file }]) {
      const image = await loadImage(input);
      expect(image).toMatchObject({ width: 40, height: 30, channels: 4, format: 'png' });
      expect([...image.data.subarray(0, 4)]).toEqual([200, 10, 10, 128]);
    }
  });

  it('turns grey+alpha into RGBA', async () => {
    const greyAlpha = await sharp(Buffer.alloc(6 * 4 * 2, 90), { raw: { width: 6, height: 4, channels: 2 } }).png().toBuffer();
    const image = await loadImage(new Uint8Array(greyAlpha));
    expect(image.channels).toBe(4);
    expect([...image.data.subarray(0, 4)]).toEqual([90, 90, 90, 90]);
  });

  it('refuses a 50-megapixel image unless maxPixels is raised', async () => {
    const big = await sharp({ create: { width: 8000, height: 6250, channels: 3, background: '#336699' } }).png({ compressionLevel: 1 }).toBuffer();
    await expect(loadImage(new Uint8Array(big))).rejects.toThrow(/8000x6250 = 50.0 megapixels, over the limit of 40.0/);
    expect(await reason(loadImage(new Uint8Array(big)))).toBe('too-many-pixels');
    const raised = await loadImage(new Uint8Array(big), { maxPixels: 60_000_000 });
    expect(raised.width * raised.height).toBe(50_000_000);
  }, 20_000);

  it('says corrupt for a truncated JPEG and unsupported for BMP, SVG and text', async () => {
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#123456' } }).jpeg().toBuffer();
    await expect(loadImage(new Uint8Array(jpeg.subarray(0, 200)))).rejects.toThrow(/looks like jpeg but cannot be decoded/);
    expect(await reason(loadImage(new Uint8Array(jpeg.subarray(0, 200))))).toBe('corrupt-image');
    const bmp = Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]);
    await expect(loadImage(new Uint8Array(bmp))).rejects.toThrow(/not a supported image \(detected bmp\)/);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    expect(await reason(loadImage(new Uint8Array(svg)))).toBe('unsupported-format');
    expect(await reason(loadImage(new Uint8Array(Buffer.from('hello, not an image'))))).toBe('unsupported-format');
  });

  it('rejects an inconsistent RawImage and a missing file', async () => {
    await expect(loadImage({ width: 2, height: 2, channels: 3, data: new Uint8Array(5) })).rejects.toThrow(/needs 12 bytes, got 5/);
    await expect(loadImage({ path: join(dir, 'missing.png') })).rejects.toThrow(/cannot read image file/);
  });

  it('refuses loopback, private and link-local URLs, also by host name', async () => {
    for (const url of [`${base}/img.png`, 'http://localhost:9/x.png', 'http://10.1.2.3/x.png', 'http://169.254.169.254/latest', 'http://[::1]:9/x.png']) {
      expect(await reason(loadImage({ url })), url).toBe('private-address');
    }
    expect(await reason(loadImage({ url: 'file:///etc/passwd' }))).toBe('unsupported-scheme');
    await expect(loadImage({ url: 'file:///etc/passwd' })).rejects.toThrow(/unsupported URL scheme file:/);
  });

  it('fetches from a private address only with allowPrivateNetwork, following redirects', async () => {
    const image = await loadImage({ url: `${base}/redirect` }, { allowPrivateNetwork: true });
    expect(image).toMatchObject({ width: 40, height: 30, format: 'png' });
  });

  it('stops downloads over maxBytes and past the timeout', async () => {
    expect(await reason(loadImage({ url: `${base}/big` }, { allowPrivateNetwork: true, maxBytes: 1000 }))).toBe('too-many-bytes');
    expect(await reason(loadImage({ url: `${base}/slow` }, { allowPrivateNetwork: true, timeoutMs: 200 }))).toBe('timeout');
    await expect(loadImage({ url: `${base}/nope` }, { allowPrivateNetwork: true })).rejects.toThrow(/HTTP 404/);
  });

  it('reports a caller\'s own timeout signal as the caller\'s abort, not as the image server being slow', async () => {
    const error = await loadImage({ url: `${base}/slow` }, { allowPrivateNetwork: true, timeoutMs: 10_000, signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INPUT_INVALID', details: { reason: 'aborted' }, hint: 'The caller aborted the request.' });
  });
});
