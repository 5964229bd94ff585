import { isFerryError } from '@ferry/core';
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { addStepToPipeline, findPipeline, type StepInsertion } from './add-step.js';
import { APP_FORMAT } from './app-source.js';

/** In memory, as `ferry add` reads an app: without the standard library, whose types finding core's imports does not need. */
const project = () => new Project({ useInMemoryFileSystem: true, compilerOptions: { noLib: true }, manipulationSettings: APP_FORMAT });

const PIPELINES = `import { pipeline } from '@ferry/core';
import { retrieveStep } from './steps/retrieve-step.js';
import { answerStep } from './steps/answer-step.js';

// The question-answering flow; routes call it.
export const answerPipeline = pipeline('kb.answer', retrieveStep, answerStep.use(cache()));
`;

const AUDIT: StepInsertion = { factory: 'auditStep', module: '/src/steps/audit-step.js' };

/** `source` as src/<path> of an app, edited in memory the way `ferry add step --pipeline pipeline` edits it. */
function edit(source: string, insertion: StepInsertion = AUDIT, pipeline = 'answerPipeline', path = 'src/pipelines.ts') {
  const file = project().createSourceFile(path, source);
  const edited = addStepToPipeline(findPipeline([file], pipeline), insertion);
  if (edited !== undefined) expect(edited).toBe(file);
  return { changed: edited !== undefined, text: file.getFullText() };
}

function failureOf(source: string, insertion: StepInsertion, pipeline = 'answerPipeline'): unknown {
  try {
    edit(source, insertion, pipeline);
  } catch (error) {
    return error;
  }
  return expect.unreachable();
}

/** Built in a function from its services, with no variable: customer-service's support.chat. */
const CHAT = `import { defineStep, pipeline } from '@ferry/core';
import { z } from 'zod';

export function chatPipeline(services: { reply: (s: string) => string }) {
  const check = defineStep({ name: 'check', input: z.string(), output: z.string(), run: (s) => s });
  const redactReply = defineStep({ name: 'redact', input: z.string(), output: z.string(), run: (s) => services.reply(s) });
  return pipeline('support.chat', check, redactReply);
}
`;

const DEFINED = `import { definePipeline } from '@ferry/core';
import { answerStep, retrieveStep } from './steps.js';

export const answerPipeline = definePipeline({
  name: 'kb.answer',
  description: 'retrieve, then answer',
  steps: [
    retrieveStep,
    answerStep,
  ],
});
`;

describe('addStepToPipeline', () => {
  it('appends a step typed by the last one, importing its factory', () => {
    const { changed, text } = edit(PIPELINES);
    expect(changed).toBe(true);
    expect(text).toBe(
      PIPELINES.replace(
        "import { answerStep } from './steps/answer-step.js';\n",
        "import { answerStep } from './steps/answer-step.js';\nimport { auditStep } from './steps/audit-step.js';\n",
      ).replace('answerStep.use(cache()));', 'answerStep.use(cache()), auditStep(answerStep.use(cache()).output));'),
    );
  });

  it('inserts after a named step, and a second run is a no-op', () => {
    const once = edit(PIPELINES, { ...AUDIT, after: 'retrieveStep' }).text;
    expect(once).toContain("pipeline('kb.answer', retrieveStep, auditStep(retrieveStep.output), answerStep.use(cache()));");
    expect(edit(once, { ...AUDIT, after: 'retrieveStep' })).toEqual({ changed: false, text: once });
  });

  it('finds the pipeline by the name `ferry graph` shows as well as by its variable', () => {
    expect(edit(PIPELINES, { ...AUDIT, after: 'retrieveStep' }, 'kb.answer').text).toBe(edit(PIPELINES, { ...AUDIT, after: 'retrieveStep' }).text);
  });

  it('finds a pipeline a function builds and returns by its name, after a step named as graph shows it or by its variable', () => {
    const expected = CHAT.replace("import { z } from 'zod';\n", "import { z } from 'zod';\nimport { auditStep } from '../steps/audit-step.js';\n").replace(
      "pipeline('support.chat', check, redactReply);",
      "pipeline('support.chat', check, redactReply, auditStep(redactReply.output));",
    );
    for (const after of ['redact', 'redactReply', undefined]) {
      const insertion = after === undefined ? AUDIT : { ...AUDIT, after };
      const once = edit(CHAT, insertion, 'support.chat', 'src/chat/chat-pipeline.ts');
      expect(once, after).toEqual({ changed: true, text: expected });
      expect(edit(once.text, insertion, 'support.chat', 'src/chat/chat-pipeline.ts'), after).toEqual({ changed: false, text: expected });
    }
    expect(edit(CHAT, { ...AUDIT, after: 'check' }, 'support.chat').text).toContain("pipeline('support.chat', check, auditStep(check.output), redactReply);");
  });

  it('inserts into the steps array of definePipeline({ name, steps }), not among its arguments', () => {
    const withImport = (source: string) =>
      source.replace("import { answerStep, retrieveStep } from './steps.js';\n", "import { answerStep, retrieveStep } from './steps.js';\nimport { auditStep } from './steps/audit-step.js';\n");
    const afterRetrieve = edit(DEFINED, { ...AUDIT, after: 'retrieveStep' }, 'kb.answer');
    expect(afterRetrieve).toEqual({ changed: true, text: withImport(DEFINED).replace('    retrieveStep,\n', '    retrieveStep,\n    auditStep(retrieveStep.output),\n') });
    const atEnd = edit(DEFINED, AUDIT, 'answerPipeline');
    expect(atEnd).toEqual({ changed: true, text: withImport(DEFINED).replace('    answerStep,\n', '    answerStep,\n    auditStep(answerStep.output),\n') });
    expect(edit(atEnd.text, AUDIT, 'kb.answer')).toEqual({ changed: false, text: atEnd.text });

    // A definition and a steps list held in constants are edited where they are spelled out.
    const held = `import { definePipeline } from '@ferry/core';
import { answerStep, retrieveStep } from './steps.js';

const steps = [retrieveStep, answerStep] as const;
const definition = { name: 'kb.answer', steps };
export default definePipeline(definition);
`;
    expect(edit(held, { ...AUDIT, after: 'retrieveStep' }, 'kb.answer').text).toContain('const steps = [retrieveStep, auditStep(retrieveStep.output), answerStep] as const;');
  });

  it('recognises pipeline() and definePipeline() by their @ferry/core import, renamed or through a namespace, and nothing else named so', () => {
    const renamed = PIPELINES.replace("import { pipeline } from '@ferry/core';", "import { pipeline as build } from '@ferry/core';").replace("= pipeline('kb.answer'", "= build('kb.answer'");
    expect(edit(renamed, { ...AUDIT, after: 'retrieveStep' }, 'kb.answer').text).toContain("build('kb.answer', retrieveStep, auditStep(retrieveStep.output), answerStep.use(cache()));");
    const namespaced = DEFINED.replace("import { definePipeline } from '@ferry/core';", "import * as ferry from '@ferry/core';").replace('= definePipeline({', '= ferry.definePipeline({');
    expect(edit(namespaced, AUDIT, 'kb.answer').text).toContain('    answerStep,\n    auditStep(answerStep.output),\n  ],');

    const streams = "import { pipeline } from 'node:stream/promises';\n\nexport const answerPipeline = pipeline(source, sink);\n";
    expect(failureOf(streams, AUDIT)).toMatchObject({ code: 'INPUT_INVALID', field: 'pipeline', hint: expect.stringContaining('builds no pipeline') });
  });

  it('takes `after` as a name, not a pattern: RegExp metacharacters match no step and are reported as not found', () => {
    for (const after of ['a.*', '.*', 'x|retrieveStep', 'retrieveStep|x', '[ra]\\w+', 'retrieveStep(']) {
      const file = project().createSourceFile('src/pipelines.ts', PIPELINES);
      let error: unknown;
      try {
        addStepToPipeline(findPipeline([file], 'answerPipeline'), { ...AUDIT, after });
      } catch (caught) {
        error = caught;
      }
      expect(isFerryError(error), after).toBe(true);
      expect(error, after).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining(`a step named ${after} in kb.answer not found`) });
      expect(file.getFullText(), after).toBe(PIPELINES);
    }
  });

  it('matches `after` as a whole identifier, `$` included', () => {
    const source = PIPELINES.replace('retrieveStep, answerStep.use', 'retrieveStep$2, retrieveStep, retrieve$, answerStep.use');
    expect(edit(source, { ...AUDIT, after: 'retrieveStep' }).text).toContain('retrieveStep$2, retrieveStep, auditStep(retrieveStep.output), retrieve$,');
    expect(edit(source, { ...AUDIT, after: 'retrieve$' }).text).toContain('retrieve$, auditStep(retrieve$.output), answerStep.use');
  });

  it('names what it could not find: the step, or the pipelines the app builds', () => {
    const missingStep = failureOf(PIPELINES, { ...AUDIT, after: 'rerankStep' });
    expect(isFerryError(missingStep) && missingStep.hint).toContain('auditStep(<previous step>.output)');
    expect(failureOf(PIPELINES, AUDIT, 'ingestPipeline')).toMatchObject({
      code: 'INPUT_INVALID',
      field: 'pipeline',
      message: expect.stringContaining('no pipeline named ingestPipeline'),
      hint: expect.stringContaining('the app builds kb.answer'),
    });
    const spread = PIPELINES.replace('retrieveStep, answerStep.use(cache())', '...steps');
    expect(failureOf(spread, AUDIT)).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining('not spread') });
  });

  it('refuses a name two pipelines share, saying where each is built', () => {
    const app = project();
    const files = ['src/a.ts', 'src/b.ts'].map((path) => app.createSourceFile(path, PIPELINES));
    expect(() => findPipeline(files, 'kb.answer')).toThrow(expect.objectContaining({ field: 'pipeline', summary: 'kb.answer names 2 pipelines: a.ts:6, b.ts:6' }));
  });
});
