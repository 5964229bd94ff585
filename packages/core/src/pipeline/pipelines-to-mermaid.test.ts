import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PipelineRegistry } from '../plugins/pipeline-registry.js';
import { cache } from './cache-middleware.js';
import { defineStep } from './define-step.js';
import { pipeline } from './pipeline.js';
import { pipelinesToMermaid } from './pipelines-to-mermaid.js';
import { retry } from './retry-middleware.js';

describe('pipelinesToMermaid', () => {
  it('draws each registered pipeline with its steps in order and their middleware', () => {
    const trim = defineStep({ name: 'trim', input: z.string(), output: z.string(), run: (s) => s.trim() });
    const count = defineStep({ name: 'count "words"', input: z.string(), output: z.number(), run: (s) => s.split(/\s+/).length }).use(retry(), cache());
    const registry = new PipelineRegistry();
    registry.register(pipeline('words', trim, count), '@acme/words');
    registry.register({ name: 'legacy', description: 'runs a script', run: async () => undefined }, 'app');
    const summaries = registry.list();
    expect(summaries[0]?.steps?.map((s) => s.name)).toEqual(['trim', 'count "words"']);
    expect(pipelinesToMermaid(summaries)).toBe(
      [
        'flowchart LR',
        '  subgraph p0["words (@acme/words)"]',
        '    p0s0["trim"]',
        '    p0s1["count #quot;words#quot;<br/><i>retry, cache</i>"]',
        '    p0s0 --> p0s1',
        '  end',
        '  subgraph p1["legacy (app)"]',
        '    p1s0["runs a script"]',
        '  end',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is no pipeline to draw', () => {
    expect(pipelinesToMermaid([])).toBe('flowchart LR\n  empty["no pipelines"]\n');
  });
});
