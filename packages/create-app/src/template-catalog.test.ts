import { isFerryError } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { defaultTemplatesDir, findTemplate } from './template-catalog.js';

describe('findTemplate', () => {
  it('finds a shipped template by its name', async () => {
    const found = await findTemplate('knowledge-base');
    expect(found.manifest.name).toBe('knowledge-base');
    expect(found.dir.startsWith(defaultTemplatesDir())).toBe(true);
  });

  it('refuses names that are paths with INPUT_INVALID naming template, never reading outside the catalog', async () => {
    for (const name of ['../knowledge-base', '/etc', '..\\x', './knowledge-base', 'knowledge-base/../customer-service', '_shared', '..', '/']) {
      const error = await findTemplate(name).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isFerryError(error), name).toBe(true);
      expect(error, name).toMatchObject({ code: 'INPUT_INVALID', field: 'template' });
      expect((error as Error & { hint: string }).hint, name).toContain('knowledge-base');
    }
  });
});
