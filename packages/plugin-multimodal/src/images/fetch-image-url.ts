import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { FerryError } from '@ferry/core';
import { isPrivateAddress } from './private-address.js';

export interface FetchImageOptions {
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** Whole request, redirects included. */
  timeoutMs: number;
  /** Let URLs reach loopback, private and link-local addresses (local model servers, tests). */
  allowPrivateNetwork: boolean;
  maxRedirects: number;
  signal?: AbortSignal;
}

const FIELD = 'image.url';

/**
 * Resolves the host, refuses private targets, and connects to the address it
 * checked: the check lives in the socket's `lookup`, so a DNS answer cannot
 * change between the check and the connection (rebinding).
 */
function guardedLookup(allowPrivate: boolean, url: string): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as Array<{ address: string; family: number }>;
      const refused = allowPrivate ? undefined : list.find((a) => isPrivateAddress(a.address));
      if (refused) return callback(privateAddressError(url, hostname, refused.address), '', 0);
      const first = list[0];
      if (!first) return callback(new Error(`no address for ${hostname}`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      callback(null, first.address, first.family);
    });
  };
}

function privateAddressError(url: string, host: string, address: string): FerryError {
  return new FerryError('INPUT_INVALID', `refusing to fetch ${url}: ${host} resolves to the non-public address ${address}`, {
    field: FIELD,
    hint: 'Use a public http(s) URL, or pass allowPrivateNetwork: true if you trust this address (a local server you run).',
    details: { reason: 'private-address', host, address },
  });
}

/** GETs an image over http(s) with a byte limit, a deadline, redirects re-checked. */
export async function fetchImageUrl(rawUrl: string, options: FetchImageOptions): Promise<Uint8Array> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  let url = rawUrl;
  for (let hop = 0; hop <= options.maxRedirects; hop++) {
    const result = await getOnce(url, options, { signal, deadline }, rawUrl);
    if ('bytes' in result) return result.bytes;
    url = result.redirect;
  }
  throw new FerryError('INPUT_INVALID', `too many redirects fetching ${rawUrl} (more than ${options.maxRedirects})`, {
    field: FIELD,
    hint: 'Use the final URL of the image directly.',
    details: { reason: 'too-many-redirects' },
  });
}

function parseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new FerryError('INPUT_INVALID', `not a valid URL: ${url}`, { field: FIELD, hint: 'Give an absolute http:// or https:// URL.', cause });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FerryError('INPUT_INVALID', `unsupported URL scheme ${parsed.protocol} in ${url}`, {
      field: FIELD,
      hint: 'Only http:// and https:// URLs are fetched; pass files as { path }.',
      details: { reason: 'unsupported-scheme' },
    });
  }
  return parsed;
}

/** `signal` ends the request; it is `deadline` (timeoutMs) or the caller's signal, whichever fires first. */
function getOnce(
  url: string,
  options: FetchImageOptions,
  { signal, deadline }: { signal: AbortSignal; deadline: AbortSignal },
  original: string,
): Promise<{ bytes: Uint8Array } | { redirect: string }> {
  const parsed = parseUrl(url);
  // A literal IP never goes through lookup, so check it here.
  const literal = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivateNetwork && /^[\d.]+$|:/.test(literal) && isPrivateAddress(literal)) {
    return Promise.reject(privateAddressError(url, literal, literal));
  }
  const client = parsed.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const fail = (error: unknown): void => {
      if (error instanceof FerryError) return reject(error);
      if (signal.aborted) {
        // Ours only when our deadline fired first: a caller's own timeout signal is the caller's abort.
        const timedOut = deadline.aborted && signal.reason === deadline.reason;
        return reject(
          new FerryError(timedOut ? 'PROVIDER_TIMEOUT' : 'INPUT_INVALID', `${timedOut ? 'timed out' : 'aborted'} fetching ${original}`, {
            field: FIELD,
            hint: timedOut ? `The server did not send the image within ${options.timeoutMs} ms; raise timeoutMs or use a faster host.` : 'The caller aborted the request.',
            details: { reason: timedOut ? 'timeout' : 'aborted' },
            cause: error,
          }),
        );
      }
      reject(
        new FerryError('PROVIDER_HTTP_ERROR', `could not fetch ${original}: ${error instanceof Error ? error.message : String(error)}`, {
          field: FIELD,
          hint: 'Check the URL and the network, or download the image and pass it as a file.',
          details: { reason: 'network' },
          cause: error,
        }),
      );
    };
    const request = client.get(parsed, { signal, lookup: guardedLookup(options.allowPrivateNetwork, original), headers: { accept: 'image/*' } }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        return resolve({ redirect: new URL(response.headers.location, parsed).toString() });
      }
      if (status < 200 || status >= 300) {
        response.resume();
        return reject(
          new FerryError('PROVIDER_HTTP_ERROR', `fetching ${original} returned HTTP ${status}`, {
            field: FIELD,
            hint: 'Check that the URL points at an image that is publicly readable.',
            details: { reason: 'http-status', status },
          }),
        );
      }
      const declared = Number(response.headers['content-length'] ?? NaN);
      const tooLarge = (): FerryError =>
        new FerryError('INPUT_INVALID', `the image at ${original} is larger than the limit of ${options.maxBytes} bytes`, {
          field: FIELD,
          hint: 'Raise maxBytes if you expect images this large, or use a smaller image.',
          details: { reason: 'too-many-bytes', maxBytes: options.maxBytes },
        });
      if (declared > options.maxBytes) {
        response.destroy();
        return reject(tooLarge());
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          response.destroy();
          reject(tooLarge());
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => resolve({ bytes: new Uint8Array(Buffer.concat(chunks)) }));
      response.on('error', fail);
    });
    request.on('error', fail);
  });
}
