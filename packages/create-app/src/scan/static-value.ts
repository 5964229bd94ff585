import {
  Node,
  SyntaxKind,
  type ArrowFunction,
  type FunctionDeclaration,
  type FunctionExpression,
  type MethodDeclaration,
  type Symbol as MorphSymbol,
} from 'ts-morph';

/** How many names, calls and properties are followed from one expression; a cycle stops there. */
export const MAX_DEPTH = 32;

/** `node` without parentheses, `as`, `satisfies` and `!`, which change nothing at run time. */
export function unwrap(node: Node): Node {
  let current = node;
  while (
    Node.isParenthesizedExpression(current) ||
    Node.isAsExpression(current) ||
    Node.isSatisfiesExpression(current) ||
    Node.isNonNullExpression(current) ||
    Node.isTypeAssertion(current)
  ) {
    current = current.getExpression();
  }
  return current;
}

/**
 * Where the name `node` refers to is declared (a variable, a property, a
 * function or method), following imports between the app's own files. Undefined
 * for what only exists at run time (parameters, packages without sources).
 */
export function declarationOf(node: Node): Node | undefined {
  const name = Node.isPropertyAccessExpression(node) ? node.getNameNode() : node;
  let declaration = firstDeclaration(name.getSymbol());
  if (Node.isShorthandPropertyAssignment(declaration)) declaration = firstDeclaration(declaration.getValueSymbol());
  return declaration;
}

function firstDeclaration(symbol: MorphSymbol | undefined): Node | undefined {
  const target = symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol;
  return target?.getValueDeclaration() ?? target?.getDeclarations()[0];
}

/** The expression a variable, property or class field named by `node` is initialised with. */
export function initialValueOf(node: Node): Node | undefined {
  const declaration = declarationOf(node);
  return Node.isVariableDeclaration(declaration) || Node.isPropertyAssignment(declaration) || Node.isPropertyDeclaration(declaration)
    ? declaration.getInitializer()
    : undefined;
}

/**
 * The expression the function `callee` names returns: an arrow's body, or
 * the argument of its one `return`. Undefined when it has several (which one
 * runs is decided at run time) or no body here.
 */
export function returnedBy(callee: Node): Node | undefined {
  const declared = declarationOf(callee);
  const value = Node.isVariableDeclaration(declared) || Node.isPropertyAssignment(declared) || Node.isPropertyDeclaration(declared) ? declared.getInitializer() : declared;
  const fn = value === undefined ? undefined : unwrap(value);
  if (!isFunction(fn)) return undefined;
  const body = fn.getBody();
  if (body !== undefined && !Node.isBlock(body)) return body;
  const returned = fn
    .getDescendantsOfKind(SyntaxKind.ReturnStatement)
    .filter((statement) => statement.getFirstAncestor(isFunction) === fn)
    .map((statement) => statement.getExpression());
  return returned.length === 1 ? returned[0] : undefined;
}

function isFunction(node: Node | undefined): node is ArrowFunction | FunctionDeclaration | FunctionExpression | MethodDeclaration {
  return Node.isArrowFunction(node) || Node.isFunctionDeclaration(node) || Node.isFunctionExpression(node) || Node.isMethodDeclaration(node);
}

/** The value of a property of the object literal `node` is (or a constant holding one is), as written. */
export function propertyOf(node: Node, name: string, depth = 0): Node | undefined {
  const object = unwrap(node);
  if (Node.isObjectLiteralExpression(object)) {
    const property = object.getProperty(name);
    if (Node.isPropertyAssignment(property)) return property.getInitializer();
    if (Node.isShorthandPropertyAssignment(property)) return property.getNameNode();
    return undefined;
  }
  const value = depth < MAX_DEPTH && (Node.isIdentifier(object) || Node.isPropertyAccessExpression(object)) ? initialValueOf(object) : undefined;
  return value === undefined ? undefined : propertyOf(value, name, depth + 1);
}

/** A string the code spells out: a literal, or a constant holding one. */
export function stringValue(node: Node, depth = 0): string | undefined {
  const inner = unwrap(node);
  if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner)) return inner.getLiteralValue();
  const value = depth < MAX_DEPTH && (Node.isIdentifier(inner) || Node.isPropertyAccessExpression(inner)) ? initialValueOf(inner) : undefined;
  return value === undefined ? undefined : stringValue(value, depth + 1);
}
