import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { FerryError, fromZodError } from '@ferry/core';
import { z } from 'zod';

const keySchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'key ids are 1-32 letters, digits, "_" or "-"'),
  /** 32 bytes, base64 (standard or url-safe) or 64 hex characters. */
  key: z.string().refine((k) => decodeKey(k) !== undefined, 'must be 32 bytes written as base64 or 64 hex characters; make one with `openssl rand -base64 32`'),
});

export const sessionEncryptionSchema = z.strictObject({
  /** Every key that may have written records; the first one encrypts new ones. */
  keys: z.array(keySchema).min(1, 'give at least one key'),
});
export type SessionEncryptionOptions = z.input<typeof sessionEncryptionSchema>;

const FORMAT = 'v1';

/**
 * AES-256-GCM for session records. Each record names the key that wrote it,
 * so after a rotation (new key first, old keys kept) old records still
 * decrypt and new ones use the new key. The session id is bound in as
 * associated data: a record copied into another session fails to decrypt.
 */
export class SessionCipher {
  private readonly keys = new Map<string, Buffer>();
  private readonly activeId: string;

  constructor(options: SessionEncryptionOptions) {
    const parsed = sessionEncryptionSchema.safeParse(options);
    if (!parsed.success) throw fromZodError('CONFIG_INVALID', parsed.error, { what: 'session encryption', fieldPrefix: 'sessions.encryption' });
    for (const { id, key } of parsed.data.keys) this.keys.set(id, decodeKey(key) as Buffer);
    this.activeId = parsed.data.keys[0]!.id;
  }

  /**
   * Keys from the environment: `FERRY_SESSION_KEYS="k2:<base64>,k1:<base64>"`
   * (first encrypts), or a single `FERRY_SESSION_KEY=<base64>` with id "k1".
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): SessionCipher | undefined {
    const many = env.FERRY_SESSION_KEYS?.trim();
    if (many) {
      const keys = many.split(',').map((pair, i) => {
        const at = pair.indexOf(':');
        if (at <= 0) {
          throw new FerryError('CONFIG_INVALID', `FERRY_SESSION_KEYS entry ${i + 1} is not "id:key"`, {
            field: 'FERRY_SESSION_KEYS',
            hint: 'Write it as "k2:<base64 key>,k1:<base64 key>", newest first.',
          });
        }
        return { id: pair.slice(0, at).trim(), key: pair.slice(at + 1).trim() };
      });
      return new SessionCipher({ keys });
    }
    const one = env.FERRY_SESSION_KEY?.trim();
    return one ? new SessionCipher({ keys: [{ id: 'k1', key: one }] }) : undefined;
  }

  get activeKeyId(): string {
    return this.activeId;
  }

  encrypt(plaintext: string, sessionId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeId)!, iv);
    cipher.setAAD(Buffer.from(sessionId, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.activeId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(record: string, sessionId: string): string {
    const [format, keyId, iv, tag, body] = record.split('.');
    if (format !== FORMAT || keyId === undefined || iv === undefined || tag === undefined || body === undefined) {
      throw new FerryError('INPUT_INVALID', `a stored record of session "${sessionId}" is not an encrypted record`, {
        field: 'sessions.store',
        hint: 'The store holds data this server did not write; clear the session or point the store at the right database.',
      });
    }
    const key = this.keys.get(keyId);
    if (!key) {
      throw new FerryError('CONFIG_INVALID', `session "${sessionId}" was written with key "${keyId}", which is not configured`, {
        field: 'sessions.encryption.keys',
        hint: `Keep key "${keyId}" in the key list (after the new one) until every record written with it has expired.`,
      });
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(sessionId, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new FerryError('INPUT_INVALID', `a record of session "${sessionId}" failed authentication (tampered, or moved from another session)`, {
        field: 'sessions.store',
        hint: 'Do not edit the store by hand; clear the session to start it afresh.',
        cause: error,
      });
    }
  }
}

function decodeKey(text: string): Buffer | undefined {
  const t = text.trim();
  const buf = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]+={0,2}$/.test(t) ? Buffer.from(t, 'base64') : undefined;
  return buf?.length === 32 ? buf : undefined;
}
