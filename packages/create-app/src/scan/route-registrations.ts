import { Node, SyntaxKind, type CallExpression, type SourceFile, type VariableDeclaration } from 'ts-morph';
import { packageExportName } from './package-export.js';
import { declarationOf, MAX_DEPTH, returnedBy, unwrap } from './static-value.js';

const SERVER = '@ferry/server';

/**
 * Every `server.route(definition)` in `file` whose `server` is one
 * @ferry/server's `createFerryServer` makes: a variable or class field it is
 * assigned to (directly or through a function that returns it), or a
 * parameter or field typed `FerryServer`, wherever it lives. `createFerryServer`
 * and `FerryServer` are known by their import (renamed or through a
 * namespace), so another `route` method (`server.fastify.route`, a router's)
 * is not one.
 */
export function routeRegistrationsIn(file: SourceFile): CallExpression[] {
  return file.getDescendantsOfKind(SyntaxKind.CallExpression).filter((call) => {
    const callee = call.getExpression();
    return Node.isPropertyAccessExpression(callee) && callee.getName() === 'route' && isServer(callee.getExpression(), 0);
  });
}

/** The variables `file` assigns a new server to: `const server = await createFerryServer(...)`. */
export function serverVariablesIn(file: SourceFile): VariableDeclaration[] {
  return file.getDescendantsOfKind(SyntaxKind.VariableDeclaration).filter((declaration) => {
    const value = declaration.getInitializer();
    return value !== undefined && createsServer(value);
  });
}

function isServer(node: Node, depth: number): boolean {
  const expression = withoutAwait(node);
  if (depth >= MAX_DEPTH) return false;
  if (createsServer(expression)) return true;
  if (Node.isIdentifier(expression) || Node.isPropertyAccessExpression(expression)) {
    const declaration = declarationOf(expression);
    if (!Node.isVariableDeclaration(declaration) && !Node.isParameterDeclaration(declaration) && !Node.isPropertyDeclaration(declaration)) return false;
    const type = declaration.getTypeNode();
    if (Node.isTypeReference(type) && packageExportName(type.getTypeName(), SERVER) === 'FerryServer') return true;
    const value = declaration.getInitializer();
    return value !== undefined && isServer(value, depth + 1);
  }
  if (!Node.isCallExpression(expression)) return false;
  const returned = returnedBy(expression.getExpression());
  return returned !== undefined && isServer(returned, depth + 1);
}

function createsServer(node: Node): boolean {
  const expression = withoutAwait(node);
  return Node.isCallExpression(expression) && packageExportName(expression.getExpression(), SERVER) === 'createFerryServer';
}

/** `createFerryServer` returns a promise: the server is what awaiting it gives. */
function withoutAwait(node: Node): Node {
  let current = unwrap(node);
  while (Node.isAwaitExpression(current)) current = unwrap(current.getExpression());
  return current;
}
