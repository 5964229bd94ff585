import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, verifyApiKeyHash } from './api-key-hash.js';
import { ApiKeyStore, createApiKeyRecord, hasScope } from './api-keys.js';

describe('API key hashing', () => {
  it('stores a salted scrypt hash that verifies only the original key', async () => {
    const key = generateApiKey('svc');
    const [a, b] = await Promise.all([hashApiKey(key), hashApiKey(key)]);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(key.split('_')[2]);
    expect(await verifyApiKeyHash(key, a)).toBe(true);
    expect(await verifyApiKeyHash(`${key}x`, a)).toBe(false);
    expect(await verifyApiKeyHash(key, 'md5$abc')).toBe(false);
  });
});

describe('ApiKeyStore', () => {
  it('loads hashed keys from a file and checks presented keys and scopes', async () => {
    const key = generateApiKey('billing');
    const path = join(mkdtempSync(join(tmpdir(), 'ferry-keys-')), 'keys.json');
    writeFileSync(path, JSON.stringify({ keys: [{ id: 'billing', hash: await hashApiKey(key), scopes: ['chat'], label: 'billing team' }] }));
    const store = await ApiKeyStore.fromFile(path);
    const identity = await store.verify(key);
    expect(identity).toEqual({ id: 'billing', scopes: ['chat'], label: 'billing team' });
    expect(hasScope(identity!, 'chat')).toBe(true);
    expect(hasScope(identity!, 'embeddings')).toBe(false);
    expect(await store.verify(key)).toEqual(identity);
    expect(await store.verify(generateApiKey('billing'))).toBeUndefined();
    expect(await store.verify('garbage')).toBeUndefined();
  });

  it('names the broken entry of a keys file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ferry-keys-')), 'keys.json');
    writeFileSync(path, JSON.stringify({ keys: [{ id: 'a', hash: 'plaintext-key', scopes: ['chat'] }] }));
    await expect(ApiKeyStore.fromFile(path)).rejects.toMatchObject({ code: 'CONFIG_INVALID', field: 'auth.keysFile.keys[0].hash' });
    await expect(ApiKeyStore.fromFile(join(path, 'missing'))).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' });
  });

  it('grants every scope to admin keys', async () => {
    const store = await ApiKeyStore.fromPlainKeys([{ key: generateApiKey('ops'), scopes: ['admin'] }]);
    expect(store.size).toBe(1);
    expect(hasScope({ id: 'ops', scopes: ['admin'] }, 'anything')).toBe(true);
  });

  it('creates a key with its storable record', async () => {
    const { key, record } = await createApiKeyRecord('reports', ['reports']);
    expect(record).toMatchObject({ id: 'reports', scopes: ['reports'] });
    expect(JSON.stringify(record)).not.toContain(key);
    expect(await new ApiKeyStore([record]).verify(key)).toMatchObject({ id: 'reports' });
    await expect(createApiKeyRecord('bad id', ['x'])).rejects.toMatchObject({ field: 'id' });
  });
});
