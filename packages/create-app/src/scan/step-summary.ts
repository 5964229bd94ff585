import { Node } from 'ts-morph';
import { coreExportName } from './package-export.js';
import { sourceText, textOf } from './source-text.js';
import { initialValueOf, MAX_DEPTH, propertyOf, returnedBy, stringValue, unwrap } from './static-value.js';

export interface StepSummary {
  name: string;
  /** Innermost first, as `Step.middleware` lists them at run time. */
  middleware: string[];
}

/**
 * The name and middleware the step `expression` (an argument of a pipeline
 * call) has when it runs, read from the source: `defineStep({ name })`,
 * `mapStep(step)`, `step.use(retry(), cache())`, a constant or import holding
 * one, or a call of a function that returns one. What only run time decides is
 * named by its source text.
 */
export function summariseStep(expression: Node): StepSummary {
  return stepOf(expression, 0);
}

function stepOf(node: Node, depth: number): StepSummary {
  const expression = unwrap(node);
  const unknown = { name: sourceText(expression), middleware: [] };
  if (depth >= MAX_DEPTH) return unknown;
  if (Node.isIdentifier(expression) || Node.isPropertyAccessExpression(expression)) {
    const value = initialValueOf(expression);
    return value === undefined ? unknown : stepOf(value, depth + 1);
  }
  if (Node.isConditionalExpression(expression)) {
    return eitherStep(stepOf(expression.getWhenTrue(), depth + 1), stepOf(expression.getWhenFalse(), depth + 1));
  }
  if (!Node.isCallExpression(expression)) return unknown;
  const callee = expression.getExpression();
  const [first, second] = expression.getArguments();
  const core = coreExportName(callee);
  if (core === 'defineStep') {
    return { name: first === undefined ? unknown.name : textOf(propertyOf(first, 'name')) ?? unknown.name, middleware: [] };
  }
  if (core === 'mapStep') {
    // A map is a new step: the middleware of the step it maps runs inside it, per element.
    const named = second === undefined ? undefined : textOf(propertyOf(second, 'name'));
    return { name: named ?? `map(${first === undefined ? '' : stepOf(first, depth + 1).name})`, middleware: [] };
  }
  if (Node.isPropertyAccessExpression(callee) && callee.getName() === 'use') {
    const base = stepOf(callee.getExpression(), depth + 1);
    return { name: base.name, middleware: [...base.middleware, ...expression.getArguments().map(middlewareName)] };
  }
  const returned = returnedBy(callee);
  return returned === undefined ? unknown : stepOf(returned, depth + 1);
}

/**
 * `configured ? step.use(guard(g)) : step`: one step whose middleware depends
 * on the configuration. Middleware only one branch has is marked `?`.
 */
function eitherStep(a: StepSummary, b: StepSummary): StepSummary {
  const inBoth = (name: string) => a.middleware.includes(name) && b.middleware.includes(name);
  const middleware = [...a.middleware, ...b.middleware.filter((name) => !a.middleware.includes(name))];
  return {
    name: a.name === b.name ? a.name : `${a.name} or ${b.name}`,
    middleware: middleware.map((name) => (inBoth(name) ? name : `${name}?`)),
  };
}

/**
 * The `name` a middleware has at run time. Core's factories name theirs after
 * themselves (`retry()` is "retry"); the app's are read from the object its
 * factory returns, else named by the function called.
 */
function middlewareName(node: Node): string {
  const expression = unwrap(node);
  return declaredName(expression, 0) ?? sourceText(Node.isCallExpression(expression) ? expression.getExpression() : expression);
}

function declaredName(node: Node, depth: number): string | undefined {
  const expression = unwrap(node);
  if (depth >= MAX_DEPTH) return undefined;
  if (Node.isObjectLiteralExpression(expression)) {
    const name = propertyOf(expression, 'name');
    return name === undefined ? undefined : stringValue(name);
  }
  if (Node.isIdentifier(expression) || Node.isPropertyAccessExpression(expression)) {
    const value = initialValueOf(expression);
    return value === undefined ? undefined : declaredName(value, depth + 1);
  }
  if (!Node.isCallExpression(expression)) return undefined;
  const callee = expression.getExpression();
  const core = coreExportName(callee);
  if (core !== undefined) return core;
  const returned = returnedBy(callee);
  return returned === undefined ? undefined : declaredName(returned, depth + 1);
}
