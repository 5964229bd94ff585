import { isFerryError } from '@ferry/core';
import { describe, expect, it } from 'vitest';
import { addStepToPipeline } from './add-step.js';
import { openAppProject } from './app-source.js';

const PIPELINES = `import { pipeline } from '@ferry/core';
import { retrieveStep } from './steps/retrieve-step.js';
import { answerStep } from './steps/answer-step.js';

// The question-answering flow; routes call it.
export const answerPipeline = pipeline('kb.answer', retrieveStep, answerStep.use(cache()));
`;

const AUDIT = { pipeline: 'answerPipeline', factory: 'auditStep', from: './steps/audit-step.js' };

function edit(source: string, insertion: Parameters<typeof addStepToPipeline>[1] = AUDIT) {
  const file = openAppProject({ inMemory: true }).createSourceFile('src/pipelines.ts', source);
  const changed = addStepToPipeline(file, insertion);
  return { changed, text: file.getFullText() };
}

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

  it('takes `after` as a name, not a pattern: RegExp metacharacters match no step and are reported as not found', () => {
    for (const after of ['a.*', '.*', 'x|retrieveStep', 'retrieveStep|x', '[ra]\\w+', 'retrieveStep(']) {
      const file = openAppProject({ inMemory: true }).createSourceFile('src/pipelines.ts', PIPELINES);
      let error: unknown;
      try {
        addStepToPipeline(file, { ...AUDIT, after });
      } catch (caught) {
        error = caught;
      }
      expect(isFerryError(error), after).toBe(true);
      expect(error, after).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining(`a step named ${after} in answerPipeline not found`) });
      expect(file.getVariableDeclarationOrThrow('answerPipeline').getText(), after).toBe("answerPipeline = pipeline('kb.answer', retrieveStep, answerStep.use(cache()))");
    }
  });

  it('matches `after` as a whole identifier, `$` included', () => {
    const source = PIPELINES.replace('retrieveStep, answerStep.use', 'retrieveStep$2, retrieveStep, retrieve$, answerStep.use');
    expect(edit(source, { ...AUDIT, after: 'retrieveStep' }).text).toContain('retrieveStep$2, retrieveStep, auditStep(retrieveStep.output), retrieve$,');
    expect(edit(source, { ...AUDIT, after: 'retrieve$' }).text).toContain('retrieve$, auditStep(retrieve$.output), answerStep.use');
  });

  it('names what it could not find', () => {
    for (const [source, insertion] of [
      [PIPELINES, { ...AUDIT, pipeline: 'ingestPipeline' }],
      [PIPELINES, { ...AUDIT, after: 'rerankStep' }],
    ] as const) {
      try {
        edit(source, insertion);
        expect.unreachable();
      } catch (error) {
        expect(isFerryError(error) && error.hint).toContain('auditStep(<previous step>.output)');
      }
    }
  });
});
