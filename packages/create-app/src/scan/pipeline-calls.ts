import { SyntaxKind, type CallExpression, type Node, type SourceFile } from 'ts-morph';
import { coreExportName } from './package-export.js';
import { sourceText, textOf } from './source-text.js';
import { propertyOf } from './static-value.js';

/** A call of @ferry/core's `pipeline(name, ...steps)` or `definePipeline({ name, steps })` in the app's code. */
export interface PipelineCall {
  factory: 'pipeline' | 'definePipeline';
  call: CallExpression;
  /** The name the pipeline runs under, as `ferry graph` shows it; the call's source when only run time knows it. */
  name: string;
}

/** Every pipeline `file` builds, wherever the call sits (a module constant, a function, a class). */
export function pipelineCallsIn(file: SourceFile): PipelineCall[] {
  return file.getDescendantsOfKind(SyntaxKind.CallExpression).flatMap((call): PipelineCall[] => {
    const factory = coreExportName(call.getExpression());
    if (factory === 'pipeline') return [{ factory, call, name: textOf(call.getArguments()[0]) ?? sourceText(call) }];
    if (factory === 'definePipeline') return [{ factory, call, name: textOf(definitionProperty(call, 'name')) ?? sourceText(call) }];
    return [];
  });
}

/** A property of the object `definePipeline(...)` is given, as written (followed through constants). */
export function definitionProperty(call: CallExpression, key: string): Node | undefined {
  const [definition] = call.getArguments();
  return definition === undefined ? undefined : propertyOf(definition, key);
}
