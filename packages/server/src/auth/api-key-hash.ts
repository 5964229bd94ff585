import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

/** scrypt cost; N = 2^14 keeps one verification near 50 ms, and verified keys are cached in memory. */
const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

/** `scrypt$N$r$p$<salt b64url>$<hash b64url>`: the only form a key is ever stored in. */
export const API_KEY_HASH_PATTERN = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export async function hashApiKey(key: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(key, salt, KEY_LENGTH, { ...PARAMS, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyApiKeyHash(key: string, stored: string): Promise<boolean> {
  const m = API_KEY_HASH_PATTERN.exec(stored);
  if (!m) return false;
  const [, n, r, p, salt, hash] = m as unknown as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(key, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A new key `fy_<id>_<secret>`: the id lets the server find the one record to
 * verify against, so a request costs one scrypt, not one per stored key.
 */
export function generateApiKey(id: string): string {
  return `fy_${id}_${randomBytes(24).toString('base64url')}`;
}

/** The id part of a presented key, or undefined when it is not in Ferry's format. */
export function apiKeyId(key: string): string | undefined {
  const m = /^fy_([A-Za-z0-9-]{1,64})_[A-Za-z0-9_-]{16,}$/.exec(key);
  return m?.[1];
}
