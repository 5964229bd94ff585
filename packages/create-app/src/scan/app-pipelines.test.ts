import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findAppPipelines } from './app-pipelines.js';

/** An app folder holding `files` (paths relative to it); no node_modules, as before `npm install`. */
function appWith(files: Record<string, string>): string {
  const app = mkdtempSync(join(tmpdir(), 'ferry-scan-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(app, path)), { recursive: true });
    writeFileSync(join(app, path), content);
  }
  return app;
}

const STEPS = `import { defineStep } from '@ferry/core';
import { z } from 'zod';

export const trimStep = defineStep({ name: 'trim', input: z.string(), output: z.string(), run: (s) => s.trim() });
export const shoutStep = defineStep({ name: 'shout', input: z.string(), output: z.string(), run: (s) => s.toUpperCase() });
`;

describe('findAppPipelines', () => {
  it('reads a pipeline a function builds from its own steps and returns, with their middleware', () => {
    const app = appWith({
      'src/chat/chat-pipeline.ts': `import { defineStep, guard, pipeline, type Guard } from '@ferry/core';
import { z } from 'zod';

export function chatPipeline(services: { injectionGuard: Guard }) {
  const check = defineStep({ name: 'check', input: z.string(), output: z.string(), run: (s) => s }).use(guard(services.injectionGuard));
  const reply = defineStep({
    name: 'reply',
    input: z.string(),
    output: z.string(),
    run: (s) => s,
  });
  return pipeline('support.chat', check, reply);
}
`,
    });
    expect(findAppPipelines(app)).toEqual([
      {
        name: 'support.chat',
        owner: 'src/chat/chat-pipeline.ts',
        steps: [
          { name: 'check', middleware: ['guard'] },
          { name: 'reply', middleware: [] },
        ],
      },
    ]);
  });

  it('follows steps imported from other files, through a re-exporting index and step factories', () => {
    const app = appWith({
      'src/steps/text-steps.ts': STEPS,
      'src/steps/audit-step.ts': `import { defineStep } from '@ferry/core';
import type { z } from 'zod';

export function auditStep<S extends z.ZodType>(schema: S) {
  const name = 'audit';
  return defineStep({ name, input: schema, output: schema, run: (value: z.output<S>) => value as z.input<S> });
}
export const echoStep = <S extends z.ZodType>(schema: S) => defineStep({ name: 'echo', input: schema, output: schema, run: (v: z.output<S>) => v as z.input<S> });
`,
      'src/steps/index.ts': "export { trimStep as trim } from './text-steps.js';\nexport * from './audit-step.js';\n",
      'src/pipelines.ts': `import { pipeline } from '@ferry/core';
import { auditStep, echoStep, trim } from './steps/index.js';
import { shoutStep } from './steps/text-steps.js';

export const greetPipeline = pipeline('hello.greet', trim, auditStep(trim.output), shoutStep, echoStep(shoutStep.output));
`,
    });
    expect(findAppPipelines(app)).toEqual([
      {
        name: 'hello.greet',
        owner: 'src/pipelines.ts',
        steps: ['trim', 'audit', 'shout', 'echo'].map((name) => ({ name, middleware: [] })),
      },
    ]);
  });

  it('knows core by its imports: aliased names, a namespace, and the app re-exporting core', () => {
    const app = appWith({
      'src/steps.ts': STEPS,
      'src/ferry.ts': "export { pipeline as flow, retry } from '@ferry/core';\n",
      'src/aliased.ts': `import { pipeline as makePipeline, cache as memo } from '@ferry/core';
import { shoutStep, trimStep } from './steps.js';
export const aliased = makePipeline('aliased', trimStep, shoutStep.use(memo()));
`,
      'src/namespaced.ts': `import * as ferry from '@ferry/core';
import { shoutStep, trimStep } from './steps.js';
export const namespaced = ferry.pipeline('namespaced', trimStep.use(ferry.timeout(1000)), shoutStep);
`,
      'src/reexported.ts': `import { flow, retry } from './ferry.js';
import { shoutStep, trimStep } from './steps.js';
export const reexported = flow('reexported', trimStep, shoutStep.use(retry({ attempts: 2 })));
`,
      'src/not-core.ts': `import { shoutStep, trimStep } from './steps.js';
// The app's own function of the same name builds something else.
function pipeline(name: string, ...parts: unknown[]) { return { name, parts }; }
export const notCore = pipeline('not.core', trimStep, shoutStep);
`,
    });
    expect(findAppPipelines(app).map(({ name, owner, steps }) => ({ name, owner, steps }))).toEqual([
      { name: 'aliased', owner: 'src/aliased.ts', steps: [{ name: 'trim', middleware: [] }, { name: 'shout', middleware: ['cache'] }] },
      { name: 'namespaced', owner: 'src/namespaced.ts', steps: [{ name: 'trim', middleware: ['timeout'] }, { name: 'shout', middleware: [] }] },
      { name: 'reexported', owner: 'src/reexported.ts', steps: [{ name: 'trim', middleware: [] }, { name: 'shout', middleware: ['retry'] }] },
    ]);
  });

  it('reads definePipeline objects, spread step lists, map steps, names held in constants and app middleware', () => {
    const app = appWith({
      'src/steps.ts': STEPS,
      'src/names.ts': "export const NAMES = { ingest: 'docs.ingest' } as const;\n",
      'src/audit.ts': `import type { Middleware } from '@ferry/core';
export const audited = <I, O>(): Middleware<I, O> => ({ name: 'audit', wrap: (next) => next });
`,
      'src/ingest.ts': `import { definePipeline, mapStep } from '@ferry/core';
import { audited } from './audit.js';
import { NAMES } from './names.js';
import { shoutStep, trimStep } from './steps.js';

const tail = [mapStep(shoutStep, { name: 'shout each' })] as const;
const steps = [mapStep(trimStep).use(audited()), ...tail] as const;
export const ingest = definePipeline({ name: NAMES.ingest, description: 'loads the documents', steps: [...steps] });
`,
    });
    expect(findAppPipelines(app)).toEqual([
      {
        name: 'docs.ingest',
        owner: 'src/ingest.ts',
        description: 'loads the documents',
        steps: [
          { name: 'map(trim)', middleware: ['audit'] },
          { name: 'shout each', middleware: [] },
        ],
      },
    ]);
  });

  it('marks middleware a configuration may leave out, and names what only run time decides by its source', () => {
    const app = appWith({
      'src/steps.ts': STEPS,
      'src/configured.ts': `import { cache, pipeline, type AnyStep } from '@ferry/core';
import { shoutStep, trimStep } from './steps.js';

export function configured(cached: boolean, prefix: string, extra: AnyStep) {
  return pipeline(\`\${prefix}.configured\`, cached ? trimStep.use(cache()) : trimStep, cached ? trimStep : shoutStep, extra);
}
`,
    });
    expect(findAppPipelines(app)).toEqual([
      {
        name: '`${prefix}.configured`',
        owner: 'src/configured.ts',
        steps: [
          { name: 'trim', middleware: ['cache?'] },
          { name: 'trim or shout', middleware: [] },
          { name: 'extra', middleware: [] },
        ],
      },
    ]);
  });

  it('leaves out test files and finds nothing in an app without src/', () => {
    const app = appWith({
      'src/steps.ts': STEPS,
      'src/steps.test.ts': "import { pipeline } from '@ferry/core';\nimport { trimStep } from './steps.js';\npipeline('test.only', trimStep);\n",
    });
    expect(findAppPipelines(app)).toEqual([]);
    expect(findAppPipelines(appWith({ 'ferry.config.json': '{"plugins": []}' }))).toEqual([]);
  });
});
