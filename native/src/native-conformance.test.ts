import { describeConformance } from '@ferry/core/testing';
import { describe, expect, it } from 'vitest';
import { createNativeBackend, nativeBuildStatus } from './native-backend.js';

const status = nativeBuildStatus();

describe('native addon build', () => {
  // CI runs on machines with a compiler, where a silent fallback to js would hide a broken build.
  it.runIf(process.env.CI)('is built and loads on CI', () => {
    expect(status.reason ?? 'loaded').toBe('loaded');
    expect(status.loaded).toBe(true);
  });
});

if (status.loaded) {
  describeConformance(createNativeBackend(), { describe, it });
} else {
  describe.skip(`kernel conformance: native (skipped: ${status.reason}; ${status.fix})`, () => {
    it('needs the addon', () => undefined);
  });
}
