import { relative, sep } from 'node:path';
import type { PipelineSummary } from '@ferry/core';
import { Node, type SourceFile } from 'ts-morph';
import { appSourceFiles } from './app-source-files.js';
import { definitionProperty, pipelineCallsIn, type PipelineCall } from './pipeline-calls.js';
import { summariseStep } from './step-summary.js';
import { initialValueOf, MAX_DEPTH, stringValue, unwrap } from './static-value.js';

/**
 * The pipelines an app's own code builds with @ferry/core's `pipeline()` or
 * `definePipeline()`, wherever the call sits (a module constant, a function
 * that builds it from services, a class), read from `src/` without running
 * it: building them usually takes what only the running app has (a server, a
 * session store). Each is owned by its file, relative to the app.
 */
export function findAppPipelines(appDir: string): PipelineSummary[] {
  return appSourceFiles(appDir).flatMap((file) => pipelinesIn(file, relative(appDir, file.getFilePath()).split(sep).join('/')));
}

function pipelinesIn(file: SourceFile, owner: string): PipelineSummary[] {
  return pipelineCallsIn(file).map((found) => (found.factory === 'pipeline' ? fromPipelineCall(found, owner) : fromDefinition(found, owner)));
}

/** `pipeline(name, ...steps)` */
function fromPipelineCall({ call, name }: PipelineCall, owner: string): PipelineSummary {
  return { name, owner, steps: expand(call.getArguments().slice(1), 0).map(summariseStep) };
}

/** `definePipeline({ name, description, steps: [...] })` */
function fromDefinition({ call, name }: PipelineCall, owner: string): PipelineSummary {
  const description = definitionProperty(call, 'description');
  const describedAs = description === undefined ? undefined : stringValue(description);
  const steps = definitionProperty(call, 'steps');
  return {
    name,
    owner,
    ...(describedAs === undefined ? {} : { description: describedAs }),
    steps: (steps === undefined ? [] : (elementsOf(steps, 0) ?? [steps])).map(summariseStep),
  };
}

/** The steps a list of arguments passes, with `...steps` replaced by the array it spreads when the code spells it out. */
function expand(nodes: Node[], depth: number): Node[] {
  return nodes.flatMap((node) => {
    if (!Node.isSpreadElement(node)) return [node];
    const elements = elementsOf(node.getExpression(), depth);
    return elements === undefined ? [node] : expand(elements, depth + 1);
  });
}

function elementsOf(node: Node, depth: number): Node[] | undefined {
  const expression = unwrap(node);
  if (Node.isArrayLiteralExpression(expression)) return expand(expression.getElements(), depth + 1);
  const value = depth < MAX_DEPTH && (Node.isIdentifier(expression) || Node.isPropertyAccessExpression(expression)) ? initialValueOf(expression) : undefined;
  return value === undefined ? undefined : elementsOf(value, depth + 1);
}
