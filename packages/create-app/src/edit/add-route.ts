import { SyntaxKind, type CallExpression, type FunctionDeclaration, type Node, type SourceFile } from 'ts-morph';
import { APP_FILE, ensureNamedImport, unrecognised } from './app-source.js';

/** The generated `src/app.ts` builds its server in `export async function buildApp`. */
const BUILDER = 'buildApp';
const FACTORY = 'createFerryServer';

/**
 * Registers a route in `buildApp`: imports it and inserts
 * `server.route(nameRoute);` after the last registration (or right after the
 * server is created). False when both are already there.
 */
export function addRouteToApp(file: SourceFile, route: { name: string; from: string }): boolean {
  const builder = file.getFunction(BUILDER);
  if (!builder?.getBody()) throw unrecognised(APP_FILE, `\`export async function ${BUILDER}()\``, registrationHint(route));
  const server = serverVariable(builder, route);
  const statement = `${server}.route(${route.name});`;
  const imported = ensureNamedImport(file, route.name, route.from);
  const registrations = routeCalls(builder, server);
  if (registrations.some((call) => call.getArguments()[0]?.getText() === route.name)) return imported;
  const anchor = registrations.at(-1)?.getFirstAncestorByKind(SyntaxKind.ExpressionStatement) ?? declarationStatement(builder, server);
  insertLineAfter(file, anchor, statement);
  return true;
}

/**
 * Inserts a line after the line `node` ends on, so a trailing comment stays
 * with its statement (ts-morph's insertStatements would put the new code
 * between them).
 */
export function insertLineAfter(file: SourceFile, node: Node, line: string): void {
  const text = file.getFullText();
  const newline = text.indexOf('\n', node.getEnd());
  file.insertText(newline === -1 ? text.length : newline, `\n${node.getIndentationText()}${line}`);
}

function serverVariable(builder: FunctionDeclaration, route: { name: string; from: string }): string {
  for (const declaration of builder.getVariableDeclarations()) {
    const init = declaration.getInitializer();
    const call = (init?.asKind(SyntaxKind.AwaitExpression)?.getExpression() ?? init)?.asKind(SyntaxKind.CallExpression);
    if (call?.getExpression().getText() === FACTORY) return declaration.getName();
  }
  throw unrecognised(APP_FILE, `\`const server = await ${FACTORY}(...)\` in ${BUILDER}`, registrationHint(route));
}

function routeCalls(builder: FunctionDeclaration, server: string): CallExpression[] {
  return builder.getDescendantsOfKind(SyntaxKind.CallExpression).filter((call) => call.getExpression().getText() === `${server}.route`);
}

function declarationStatement(builder: FunctionDeclaration, server: string) {
  const declaration = builder.getVariableDeclarationOrThrow(server);
  return declaration.getVariableStatementOrThrow();
}

function registrationHint(route: { name: string; from: string }): string {
  return `import { ${route.name} } from '${route.from}' in ${APP_FILE} and call server.route(${route.name}) before the server starts listening.`;
}
