import { describe, expect, it } from 'vitest';
import { findPii } from './find-pii.js';
import { PII_DETECTORS } from './pii-detectors.js';
import { redact } from './redact.js';

describe('findPii', () => {
  it('walks every detector with exec, so each pattern is global and never matches empty', () => {
    for (const d of PII_DETECTORS) {
      expect(d.pattern.global, d.pattern.source).toBe(true);
      expect(d.pattern.exec(''), d.pattern.source).toBeNull();
    }
  });

  it('gives the same spans when called again (the shared patterns start over each call)', () => {
    const text = 'card 4111 1111 1111 1111, mail a@b.io, call +44 20 7946 0958';
    const first = findPii(text);
    expect(first.map((s) => s.type)).toEqual(['card', 'email', 'phone']);
    expect(findPii(text)).toEqual(first);
  });

  it('gives exact offsets', () => {
    const text = 'Mail bob.smith@example.co.uk today';
    const [span] = findPii(text);
    expect(span).toEqual({ type: 'email', start: 5, end: 28, text: 'bob.smith@example.co.uk' });
    expect(text.slice(span!.start, span!.end)).toBe(span!.text);
  });

  it('finds phone numbers inside Chinese text', () => {
    const text = '请拨打13812345678或+86 139-1234-5678联系客服';
    const spans = findPii(text);
    expect(spans.map((s) => [s.type, s.text])).toEqual([
      ['phone', '13812345678'],
      ['phone', '+86 139-1234-5678'],
    ]);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it('finds North American and international numbers', () => {
    expect(findPii('call (415) 555-2671 or +44 20 7946 0958').map((s) => s.text)).toEqual([
      '(415) 555-2671',
      '+44 20 7946 0958',
    ]);
  });

  it('redacts card numbers only when they pass Luhn', () => {
    expect(findPii('card 4111 1111 1111 1111').map((s) => s.type)).toEqual(['card']);
    expect(findPii('card 4111-1111-1111-1112')).toEqual([]);
    expect(findPii('ref 4111111111111112')).toEqual([]);
  });

  it('checks resident ID birth dates and check digits', () => {
    expect(findPii('身份证11010519491231002X').map((s) => s.type)).toEqual(['cn-resident-id']);
    expect(findPii('身份证110105194912310021')).toEqual([]);
    expect(findPii('身份证110105194902300028')).toEqual([]);
    // Also passes Luhn; the ID reading is the more specific one.
    expect(findPii('证件号 440101199001070065').map((s) => s.type)).toEqual(['cn-resident-id']);
  });

  it('checks IBANs with mod 97', () => {
    expect(findPii('IBAN GB82 WEST 1234 5698 7654 32.').map((s) => s.text)).toEqual(['GB82 WEST 1234 5698 7654 32']);
    expect(findPii('IBAN DE89370400440532013000').map((s) => s.type)).toEqual(['iban']);
    expect(findPii('IBAN DE89370400440532013001')).toEqual([]);
  });

  it('finds IPv4 and IPv6 addresses but not times or versions with too-big parts', () => {
    expect(findPii('from 192.168.1.20 and 2001:db8::8a2e:370:7334').map((s) => s.text)).toEqual([
      '192.168.1.20',
      '2001:db8::8a2e:370:7334',
    ]);
    expect(findPii('at 10:30:00, build 300.1.2.3')).toEqual([]);
  });

  it('finds secrets', () => {
    const text = [
      'OPENAI_API_KEY sk-proj-abcDEF1234567890ghijKLMN',
      'gh ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'slack xoxb-123456789012-abcdefABCDEF',
      'aws AKIAIOSFODNN7EXAMPLE',
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'Authorization: Bearer abcdef0123456789ABCDEF',
      'config api_key="Zx81kQ9vLm3TtR7w"',
    ].join('\n');
    const spans = findPii(text);
    expect(spans.map((s) => s.type)).toEqual(Array(7).fill('secret'));
    expect(spans[5]!.text).toBe('abcdef0123456789ABCDEF');
    expect(findPii('password=changeme123')).toEqual([]);
  });

  it('leaves ordinary numbers alone', () => {
    const text = 'Order #20240517-8832 of 2024-05-17 for $1,299.99, SKU 1234567890, qty 3, 订单号 202405170001, 价格 ¥358.00';
    expect(findPii(text)).toEqual([]);
    // 1700000000004 passes Luhn but is a millisecond timestamp, not a card.
    expect(findPii('at 1700000000004 ms')).toEqual([]);
  });

  it('prefers the longest of overlapping candidates', () => {
    // A JWT after "Bearer" matches two detectors; it must be reported once.
    const text = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(findPii(text)).toEqual([{ type: 'secret', start: 7, end: text.length, text: text.slice(7) }]);
  });

  it('stays linear on long runs that look like the start of an e-mail address', () => {
    const started = performance.now();
    findPii('QUFB'.repeat(20_000));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('redact', () => {
  it('replaces with labels and keeps original offsets in spans', () => {
    const r = redact('联系我: a@b.io, 电话 13812345678, IP 10.0.0.1');
    expect(r.text).toBe('联系我: [EMAIL], 电话 [PHONE], IP [IP]');
    expect(r.spans.map((s) => s.start)).toEqual([5, 16, 32]);
  });

  it('honours types and custom replacements', () => {
    expect(redact('a@b.io 13812345678', { types: ['phone'] }).text).toBe('a@b.io [PHONE]');
    expect(redact('a@b.io 13812345678', { replacement: '***' }).text).toBe('*** ***');
    expect(redact('a@b.io', { replacement: (s) => `<${s.type}>` }).text).toBe('<email>');
  });
});
