import { SyntaxKind, type CallExpression, type Node, type Project, type SourceFile } from 'ts-morph';
import { ensureNamedImport, unrecognised } from './app-source.js';

const PIPELINE_FACTORIES = new Set(['pipeline', 'definePipeline']);

export interface StepInsertion {
  /** Exported variable holding the pipeline, e.g. `answerPipeline`. */
  pipeline: string;
  /** Factory the step file exports: `auditStep(schema)` makes a typed pass-through step. */
  factory: string;
  /** Module specifier of the step file, relative to the pipeline's file. */
  from: string;
  /** Insert after the step whose expression starts with this name; default: at the end. */
  after?: string;
}

/** The source file (among the app's `src/`) that declares `pipeline`. */
export function findPipelineFile(project: Project, pipeline: string): SourceFile | undefined {
  return project.getSourceFiles().find((file) => pipelineCall(file, pipeline) !== undefined);
}

/**
 * Adds `factory(previous.output)` to a `pipeline(name, ...steps)` call, typed
 * by the step before it so the chain still type-checks. False when the
 * pipeline already has it.
 */
export function addStepToPipeline(file: SourceFile, insertion: StepInsertion): boolean {
  const call = pipelineCall(file, insertion.pipeline);
  const where = `\`const ${insertion.pipeline} = pipeline('name', ...steps)\``;
  const manual = `import { ${insertion.factory} } from '${insertion.from}' and add ${insertion.factory}(<previous step>.output) to the steps of ${insertion.pipeline}.`;
  if (!call) throw unrecognised(file.getBaseName(), where, manual);
  const steps = call.getArguments().slice(1);
  const imported = ensureNamedImport(file, insertion.factory, insertion.from);
  if (steps.some((step) => step.getText().startsWith(`${insertion.factory}(`))) return imported;
  const index = insertion.after === undefined ? steps.length - 1 : steps.findIndex((step) => startsWithName(step, insertion.after ?? ''));
  if (index < 0) {
    throw unrecognised(file.getBaseName(), `a step named ${insertion.after} in ${insertion.pipeline}`, manual);
  }
  const previous = steps[index];
  const schema = previous ? `${operand(previous)}.output` : undefined;
  if (!schema) throw unrecognised(file.getBaseName(), `at least one step in ${insertion.pipeline}`, manual);
  call.insertArgument(index + 2, `${insertion.factory}(${schema})`);
  return true;
}

function pipelineCall(file: SourceFile, name: string): CallExpression | undefined {
  const call = file.getVariableDeclaration(name)?.getInitializer()?.asKind(SyntaxKind.CallExpression);
  return call && PIPELINE_FACTORIES.has(call.getExpression().getText()) ? call : undefined;
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
  return step.isKind(SyntaxKind.Identifier) || step.isKind(SyntaxKind.PropertyAccessExpression) || step.isKind(SyntaxKind.CallExpression)
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
