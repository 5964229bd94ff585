import { FerryError } from '@ferry/core';
import { Node, type SourceFile } from 'ts-morph';
import { definitionProperty, pipelineCallsIn, type PipelineCall } from '../scan/pipeline-calls.js';
import { summariseStep } from '../scan/step-summary.js';
import { initialValueOf, MAX_DEPTH, unwrap } from '../scan/static-value.js';
import { ensureNamedImport, importPath, unrecognised } from './app-source.js';

export interface StepInsertion {
  /** Factory the step file exports: `auditStep(schema)` makes a typed pass-through step. */
  factory: string;
  /** Path of the step file as imported (`/app/src/steps/audit-step.js`); the import is made relative to the file listing the steps. */
  module: string;
  /** Insert after this step (its name as `ferry graph` shows it, or the variable it is written with); default: at the end. */
  after?: string;
}

/**
 * The pipeline `ferry add step --pipeline` names among the app's files: by
 * the name it runs under, as `ferry graph` shows it (`support.chat`), or by the
 * variable a module assigns it to (`greetPipeline`), as earlier versions took.
 */
export function findPipeline(files: readonly SourceFile[], pipeline: string): PipelineCall {
  const built = files.flatMap(pipelineCallsIn);
  const found = built.filter((candidate) => candidate.name === pipeline || variableOf(candidate) === pipeline);
  const [only] = found;
  if (only !== undefined && found.length === 1) return only;
  if (only === undefined) {
    throw new FerryError('INPUT_INVALID', `no pipeline named ${pipeline} is built in the app's src/`, {
      field: 'pipeline',
      hint:
        built.length === 0
          ? 'The app builds no pipeline with pipeline() or definePipeline() from @ferry/core; add one first, or insert the step by hand.'
          : `Pass a pipeline's name as \`ferry graph\` shows it; the app builds ${built.map((candidate) => candidate.name).join(', ')}.`,
    });
  }
  throw new FerryError('INPUT_INVALID', `${pipeline} names ${found.length} pipelines: ${found.map(where).join(', ')}`, {
    field: 'pipeline',
    hint: 'Give the pipelines different names, or insert the step by hand.',
  });
}

/** `greetPipeline` for `const greetPipeline = pipeline(...)`. */
function variableOf({ call }: PipelineCall): string | undefined {
  const parent = call.getParent();
  return Node.isVariableDeclaration(parent) ? parent.getName() : undefined;
}

function where({ call }: PipelineCall): string {
  return `${call.getSourceFile().getBaseName()}:${call.getStartLineNumber()}`;
}

/** Where a pipeline's steps are written, and how one is added there. */
interface StepList {
  file: SourceFile;
  steps: Node[];
  insertAt(index: number, step: string): void;
}

/** `pipeline(name, a, b)`: the arguments after the name. `definePipeline({ steps: [a, b] })`: the array, wherever the code spells it. */
function stepListOf({ factory, call }: PipelineCall): StepList | undefined {
  if (factory === 'pipeline') {
    return { file: call.getSourceFile(), steps: call.getArguments().slice(1), insertAt: (index, step) => call.insertArgument(index + 1, step) };
  }
  let steps = definitionProperty(call, 'steps');
  for (let depth = 0; steps !== undefined && depth < MAX_DEPTH; depth++) {
    const expression = unwrap(steps);
    if (Node.isArrayLiteralExpression(expression)) {
      return { file: expression.getSourceFile(), steps: expression.getElements(), insertAt: (index, step) => expression.insertElement(index, step) };
    }
    steps = Node.isIdentifier(expression) || Node.isPropertyAccessExpression(expression) ? initialValueOf(expression) : undefined;
  }
  return undefined;
}

/**
 * Adds `factory(previous.output)` to the steps of the pipeline `target`
 * builds, typed by the step before it so the chain still type-checks, and
 * imports the factory. Returns the file it changed, in memory; undefined when
 * the pipeline already has the step.
 */
export function addStepToPipeline(target: PipelineCall, insertion: StepInsertion): SourceFile | undefined {
  const list = stepListOf(target);
  const manual = `import ${insertion.factory} from the step file and add ${insertion.factory}(<previous step>.output) to the steps of ${target.name}.`;
  const callFile = target.call.getSourceFile().getBaseName();
  if (!list) throw unrecognised(callFile, `the steps of ${target.name} as an array (definePipeline({ steps: [...] }))`, manual);
  const from = importPath(list.file, insertion.module);
  if (list.steps.some((step) => step.getText().startsWith(`${insertion.factory}(`))) {
    return ensureNamedImport(list.file, insertion.factory, from) ? list.file : undefined;
  }
  const after = insertion.after;
  const index = after === undefined ? list.steps.length - 1 : list.steps.findIndex((step) => startsWithName(step, after) || summariseStep(step).name === after);
  if (index < 0) throw unrecognised(callFile, `a step named ${after} in ${target.name}`, manual);
  const previous = list.steps[index];
  if (previous === undefined) throw unrecognised(callFile, `at least one step in ${target.name}`, manual);
  // `...steps` has no single step whose output the new one could take.
  if (Node.isSpreadElement(previous)) throw unrecognised(callFile, `a step written out (not spread) before the new one in ${target.name}`, manual);
  ensureNamedImport(list.file, insertion.factory, from);
  list.insertAt(index + 1, `${insertion.factory}(${operand(previous)}.output)`);
  return list.file;
}

/**
 * `retrieveStep` names `retrieveStep` and `retrieveStep.use(cache())`, not
 * `retrieveStepTwo` or `retrieveStep$`. Compared as text, not as a RegExp, so
 * `a.*` or `x|y` name nothing; `$` counts as part of the name, as in JS.
 */
function startsWithName(step: Node, name: string): boolean {
  const text = step.getText();
  return text.startsWith(name) && !/[\w$]/.test(text.charAt(name.length));
}

/** `retrieve` stays as it is; `retrieve.use(cache())` needs parentheses before `.output`. */
function operand(step: Node): string {
  return Node.isIdentifier(step) || Node.isPropertyAccessExpression(step) || Node.isCallExpression(step)
    ? step.getText()
    : `(${step.getText()})`;
}

/** The step file `ferry add step` writes: a typed pass-through the user fills in. */
export function stepFileSource(factory: string, stepName: string): string {
  return `import { defineStep } from '@ferry/core';
import type { z } from 'zod';

/**
 * ${stepName}: receives what the step before it returns and passes it on.
 * Change \`run\` to do the work; keep the schema, or give the step its own
 * output schema if it reshapes the value.
 */
export function ${factory}<S extends z.ZodType>(schema: S) {
  return defineStep({
    name: '${stepName}',
    input: schema,
    output: schema,
    // A value S produced parses again as S (unless S transforms), so it can pass on unchanged.
    run: (value: z.output<S>) => value as z.input<S>,
  });
}
`;
}
