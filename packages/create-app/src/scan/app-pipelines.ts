import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { PipelineSummary } from '@ferry/core';
import { ModuleKind, ModuleResolutionKind, Node, Project, SyntaxKind, ts, type CallExpression, type SourceFile } from 'ts-morph';
import { coreExportName } from './core-export.js';
import { sourceText, textOf } from './source-text.js';
import { summariseStep } from './step-summary.js';
import { initialValueOf, MAX_DEPTH, propertyOf, stringValue, unwrap } from './static-value.js';

/**
 * The pipelines an app's own code builds with @ferry/core's `pipeline()` or
 * `definePipeline()`, wherever the call sits (a module constant, a function
 * that builds it from services, a class), read from `src/` without running
 * it: building them usually takes what only the running app has (a server, a
 * session store). Test files are left out; their pipelines are not the app's.
 * Each is owned by its file, relative to the app.
 */
export function findAppPipelines(appDir: string): PipelineSummary[] {
  const src = join(appDir, 'src');
  if (!existsSync(src)) return [];
  const glob = src.split(sep).join('/');
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    // Imports between the app's files resolve as in an ESM app (`./steps.js` is `./steps.ts`). Packages
    // and the standard library are not read: what the app imports from core is known by its import
    // declarations, and reading their types would take seconds instead of a tenth of one.
    compilerOptions: { module: ModuleKind.ESNext, moduleResolution: ModuleResolutionKind.Bundler, noEmit: true, noLib: true, types: [] },
    resolutionHost: (host, options) => ({
      resolveModuleNames: (names, containingFile) =>
        names.map((name) => (name.startsWith('.') ? ts.resolveModuleName(name, containingFile, options(), host).resolvedModule : undefined)),
    }),
  });
  project.addSourceFilesAtPaths([`${glob}/**/*.ts`, `!${glob}/**/*.test.ts`, `!${glob}/**/*.d.ts`]);
  return project
    .getSourceFiles()
    // Files src/ imports from outside it are read to follow the import, not drawn.
    .filter((file) => file.getFilePath().startsWith(`${glob}/`))
    .sort((a, b) => a.getFilePath().localeCompare(b.getFilePath()))
    .flatMap((file) => pipelinesIn(file, relative(appDir, file.getFilePath()).split(sep).join('/')));
}

function pipelinesIn(file: SourceFile, owner: string): PipelineSummary[] {
  return file.getDescendantsOfKind(SyntaxKind.CallExpression).flatMap((call) => {
    const factory = coreExportName(call.getExpression());
    if (factory === 'pipeline') return [fromPipelineCall(call, owner)];
    if (factory === 'definePipeline') return [fromDefinition(call, owner)];
    return [];
  });
}

/** `pipeline(name, ...steps)` */
function fromPipelineCall(call: CallExpression, owner: string): PipelineSummary {
  const [name, ...steps] = call.getArguments();
  return { name: textOf(name) ?? sourceText(call), owner, steps: expand(steps, 0).map(summariseStep) };
}

/** `definePipeline({ name, description, steps: [...] })` */
function fromDefinition(call: CallExpression, owner: string): PipelineSummary {
  const [definition] = call.getArguments();
  const property = (key: string) => (definition === undefined ? undefined : propertyOf(definition, key));
  const description = property('description');
  const describedAs = description === undefined ? undefined : stringValue(description);
  const steps = property('steps');
  return {
    name: textOf(property('name')) ?? sourceText(call),
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
