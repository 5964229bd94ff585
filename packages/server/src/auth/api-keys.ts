import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { FerryError, fromZodError } from '@ferry/core';
import { z } from 'zod';
import { API_KEY_HASH_PATTERN, apiKeyId, generateApiKey, hashApiKey, verifyApiKeyHash } from './api-key-hash.js';

/** Scope that grants every other scope. */
export const ADMIN_SCOPE = 'admin';

const scopeSchema = z.string().regex(/^[a-z][a-z0-9:_-]*$/, 'scopes are lower-case words such as "chat", "embeddings", "admin"');
const keyIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'key ids are 1-64 letters, digits or dashes');

/** A stored key: only its scrypt hash is kept. */
export const apiKeyRecordSchema = z.strictObject({
  id: keyIdSchema,
  hash: z.string().regex(API_KEY_HASH_PATTERN, 'must be a scrypt hash made by hashApiKey() or `ferry` key tooling'),
  scopes: z.array(scopeSchema).min(1),
  /** Who or what the key belongs to, for logs and the audit trail. */
  label: z.string().max(200).optional(),
});
export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;

/** A key given in plain text (tests, env); it is hashed at startup and the text dropped. */
export const plainApiKeySchema = z.strictObject({
  key: z.string().min(16, 'API keys need at least 16 characters').refine((k) => apiKeyId(k) !== undefined, 'must look like fy_<id>_<secret>; make one with generateApiKey(id)'),
  scopes: z.array(scopeSchema).min(1),
  label: z.string().max(200).optional(),
});
export type PlainApiKey = z.infer<typeof plainApiKeySchema>;

export const apiKeysFileSchema = z.strictObject({ keys: z.array(apiKeyRecordSchema) });

/** What a request carries after authentication. */
export interface ApiKeyIdentity {
  id: string;
  scopes: readonly string[];
  label?: string;
}

/**
 * Holds the key records and checks presented keys. A verified key's sha256 is
 * cached so steady traffic costs a hash lookup, not a scrypt; the cache is in
 * memory only, so nothing reversible is ever at rest.
 */
export class ApiKeyStore {
  private readonly byId = new Map<string, ApiKeyRecord>();
  private readonly verified = new Map<string, string>();
  private static readonly CACHE_LIMIT = 10_000;

  constructor(records: readonly ApiKeyRecord[]) {
    for (const record of records) {
      if (this.byId.has(record.id)) {
        throw new FerryError('CONFIG_INVALID', `API key id "${record.id}" appears twice`, {
          field: 'auth.keys',
          hint: 'Give every key its own id.',
        });
      }
      this.byId.set(record.id, record);
    }
  }

  static async fromPlainKeys(keys: readonly PlainApiKey[]): Promise<ApiKeyStore> {
    const records = await Promise.all(
      keys.map(async (k) => ({ id: apiKeyId(k.key) as string, hash: await hashApiKey(k.key), scopes: k.scopes, ...(k.label ? { label: k.label } : {}) })),
    );
    return new ApiKeyStore(records);
  }

  /** Reads `{ "keys": [{ id, hash, scopes }] }`; errors name the entry that is wrong. */
  static async fromFile(path: string): Promise<ApiKeyStore> {
    let raw: string;
    try {
      raw = await readFile(path, 'utf8');
    } catch (error) {
      throw new FerryError('CONFIG_NOT_FOUND', `cannot read the API keys file ${path}`, {
        field: 'auth.keysFile',
        hint: 'Create it with hashed keys (see the @ferry/server README), or point auth.keysFile at it.',
        cause: error,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw new FerryError('CONFIG_INVALID', `the API keys file ${path} is not JSON`, { field: 'auth.keysFile', hint: 'Fix the JSON syntax.', cause: error });
    }
    const parsed = apiKeysFileSchema.safeParse(json);
    if (!parsed.success) throw fromZodError('CONFIG_INVALID', parsed.error, { what: `API keys file ${path}`, fieldPrefix: 'auth.keysFile' });
    return new ApiKeyStore(parsed.data.keys);
  }

  /** The stored records (hashes only), e.g. to merge stores. */
  records(): ApiKeyRecord[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * The key's identity, or undefined when it is not valid. `beforeScrypt`
   * runs only when the check needs scrypt (a known id not verified yet), and
   * may throw to refuse it: that is where a rate limit on guesses belongs.
   */
  async verify(presented: string, beforeScrypt?: () => Promise<void>): Promise<ApiKeyIdentity | undefined> {
    const digest = createHash('sha256').update(presented).digest('base64url');
    const cachedId = this.verified.get(digest);
    const cached = cachedId === undefined ? undefined : this.byId.get(cachedId);
    if (cached) return identity(cached);
    const id = apiKeyId(presented);
    const record = id === undefined ? undefined : this.byId.get(id);
    if (!record) return undefined;
    await beforeScrypt?.();
    if (!(await verifyApiKeyHash(presented, record.hash))) return undefined;
    if (this.verified.size >= ApiKeyStore.CACHE_LIMIT) this.verified.clear();
    this.verified.set(digest, record.id);
    return identity(record);
  }
}

export function hasScope(key: ApiKeyIdentity, scope: string): boolean {
  return key.scopes.includes(scope) || key.scopes.includes(ADMIN_SCOPE);
}

function identity(record: ApiKeyRecord): ApiKeyIdentity {
  return { id: record.id, scopes: record.scopes, ...(record.label ? { label: record.label } : {}) };
}

/**
 * A new key and the record to store for it: hand `key` to the client once,
 * write `record` to the keys file.
 */
export async function createApiKeyRecord(id: string, scopes: string[], label?: string): Promise<{ key: string; record: ApiKeyRecord }> {
  const parsed = z.strictObject({ id: keyIdSchema, scopes: z.array(scopeSchema).min(1) }).safeParse({ id, scopes });
  if (!parsed.success) throw fromZodError('INPUT_INVALID', parsed.error, { what: 'API key' });
  const key = generateApiKey(id);
  return { key, record: { id, hash: await hashApiKey(key), scopes, ...(label ? { label } : {}) } };
}
