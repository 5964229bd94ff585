import { Writable } from 'node:stream';
import { generateApiKey } from './auth/api-key-hash.js';

/** Keys for tests: one per scope set, made once (scrypt is deliberately slow). */
export const TEST_KEYS = {
  chat: generateApiKey('chat-app'),
  embeddings: generateApiKey('embed-app'),
  admin: generateApiKey('ops'),
};

export const testAuth = {
  keys: [
    { key: TEST_KEYS.chat, scopes: ['chat', 'models'] },
    { key: TEST_KEYS.embeddings, scopes: ['embeddings'] },
    { key: TEST_KEYS.admin, scopes: ['admin'] },
  ],
};

/** A writable that keeps every log line, parsed. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }

  get text(): string {
    return this.lines.join('\n');
  }
}
