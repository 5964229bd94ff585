import Handlebars from 'handlebars';
import { PROMPT_HELPERS } from './handlebars-env.js';

type Node = hbs.AST.Node;
type Expression = hbs.AST.Expression;
type Program = hbs.AST.Program;

/** Block helpers whose body runs with a new context (the item), not the root. */
const CONTEXT_CHANGING_BLOCKS = new Set(['each', 'with']);
const BUILTIN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log', ...PROMPT_HELPERS]);

function top(stack: readonly Scope[]): Scope {
  return stack[stack.length - 1] ?? { root: false, blockParams: [] };
}

interface Scope {
  /** True while `this` is the render() variables object. */
  root: boolean;
  blockParams: readonly string[];
}

export interface TemplateReferences {
  /** Root-level variables read by the template and the partials it calls at the root. */
  variables: Set<string>;
  /** Partials called by name (`{{> name}}`), found or not. */
  partials: Set<string>;
}

/**
 * What a template refers to, for definition-time checks. Paths inside
 * `#each` / `#with` bodies refer to the item and are skipped, except `../x`
 * reaching back to the root and `@root.x`.
 */
export function collectTemplateReferences(source: string, partials: Record<string, string> = {}): TemplateReferences {
  const found = new Set<string>();
  const calledPartials = new Set<string>();
  const expanding = new Set<string>();
  const walkProgram = (program: Program | undefined, stack: Scope[]): void => {
    if (!program) return;
    for (const statement of program.body) walkNode(statement, stack);
  };
  const recordPath = (path: hbs.AST.PathExpression, stack: Scope[]): void => {
    if (path.data) {
      if (path.parts[0] === 'root' && path.parts[1] !== undefined) found.add(path.parts[1]);
      return;
    }
    const head = path.parts[0];
    if (head === undefined) return;
    if (path.depth === 0 && stack.some((s) => s.blockParams.includes(head))) return;
    const scope = stack[stack.length - 1 - path.depth];
    if (scope?.root) found.add(head);
  };
  const walkExpression = (expression: Expression, stack: Scope[]): void => {
    const node = expression as Node;
    if (node.type === 'PathExpression') recordPath(node as hbs.AST.PathExpression, stack);
    else if (node.type === 'SubExpression') walkCall(node as hbs.AST.SubExpression, stack);
  };
  const walkCall = (call: { params: Expression[]; hash: hbs.AST.Hash | undefined }, stack: Scope[]): void => {
    for (const param of call.params) walkExpression(param, stack);
    for (const pair of call.hash?.pairs ?? []) walkExpression(pair.value, stack);
  };
  const walkNode = (node: Node, stack: Scope[]): void => {
    switch (node.type) {
      case 'MustacheStatement': {
        const mustache = node as hbs.AST.MustacheStatement;
        const path = mustache.path as Node;
        const isHelperCall =
          mustache.params.length > 0 ||
          (mustache.hash?.pairs.length ?? 0) > 0 ||
          (path.type === 'PathExpression' && BUILTIN_HELPERS.has((path as hbs.AST.PathExpression).original));
        if (isHelperCall) walkCall(mustache, stack);
        else walkExpression(mustache.path, stack);
        return;
      }
      case 'BlockStatement': {
        const block = node as hbs.AST.BlockStatement;
        const helper = block.path.original;
        if (!BUILTIN_HELPERS.has(helper) && block.params.length === 0) {
          // `{{#items}}...{{/items}}`: a section over a variable, mustache style.
          recordPath(block.path, stack);
        }
        walkCall(block, stack);
        const changesContext = CONTEXT_CHANGING_BLOCKS.has(helper) || block.params.length === 0;
        const current = top(stack);
        const blockParams = block.program.blockParams ?? [];
        // `../` counts context changes only, so `#if` must not push a scope.
        const bodyStack = changesContext
          ? [...stack, { root: false, blockParams }]
          : [...stack.slice(0, -1), { root: current.root, blockParams: [...current.blockParams, ...blockParams] }];
        walkProgram(block.program, bodyStack);
        walkProgram(block.inverse, stack);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const partial = node as hbs.AST.PartialStatement;
        walkCall(partial, stack);
        // Dynamic partials (`{{> (lookup . 'name')}}`) and `@partial-block` have no static name to check.
        const name = partial.name.type === 'PathExpression' && !partial.name.data ? partial.name.original : undefined;
        if (name !== undefined) calledPartials.add(name);
        const body = name === undefined ? undefined : partials[name];
        // A partial called with an explicit context runs in that context, not the root;
        // `expanding` stops a recursive partial from looping here.
        if (name !== undefined && body !== undefined && partial.params.length === 0 && top(stack).root && !expanding.has(name)) {
          expanding.add(name);
          walkProgram(Handlebars.parse(body), stack);
          expanding.delete(name);
        }
        if (node.type === 'PartialBlockStatement') walkProgram((node as hbs.AST.PartialBlockStatement).program, stack);
        return;
      }
      default:
        return;
    }
  };
  walkProgram(Handlebars.parse(source), [{ root: true, blockParams: [] }]);
  return { variables: found, partials: calledPartials };
}
