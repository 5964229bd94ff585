import { basename } from 'node:path';
import { FerryError } from '@ferry/core';
import { Node, SyntaxKind, type CallExpression, type SourceFile } from 'ts-morph';
import { routeRegistrationsIn, serverVariablesIn } from '../scan/route-registrations.js';
import { APP_FORMAT, ensureNamedImport, importPath, unrecognised } from './app-source.js';

export interface RouteInsertion {
  /** The route the route file exports, e.g. `statusRoute`. */
  name: string;
  /** Path of the route file as imported (`/app/src/routes/status-route.js`); the import is made relative to the file that registers routes. */
  module: string;
}

/** Where a route is added: after this statement, as `receiver.route(name);`. */
interface RegistrationPoint {
  after: Node;
  receiver: string;
}

/**
 * Registers a route where the app's `src/` registers its routes on the server
 * @ferry/server's `createFerryServer` makes: imports it and inserts
 * `server.route(nameRoute);` after the last registration, or right after the
 * server is created when it has none. Returns the file it changed, in memory;
 * undefined when the route is already registered and imported.
 */
export function addRouteToApp(files: readonly SourceFile[], route: RouteInsertion): SourceFile | undefined {
  const registrations = files.flatMap(routeRegistrationsIn);
  const existing = registrations.find((call) => call.getArguments()[0]?.getText() === route.name);
  if (existing) {
    const file = existing.getSourceFile();
    return importRoute(file, route) ? file : undefined;
  }
  const point = registrationPoint(registrations, files, route);
  const file = point.after.getSourceFile();
  importRoute(file, route);
  insertLineAfter(file, point.after, `${point.receiver}.route(${route.name});`);
  return file;
}

function importRoute(file: SourceFile, route: RouteInsertion): boolean {
  // The lines go into the app's own code: format them as the templates are.
  file.getProject().manipulationSettings.set(APP_FORMAT);
  return ensureNamedImport(file, route.name, importPath(file, route.module));
}

/**
 * After the last registration when the app registers routes in one function
 * (or at one file's top level); else after the one statement that creates the
 * server. Where several would do, the choice is the user's.
 */
function registrationPoint(registrations: CallExpression[], files: readonly SourceFile[], route: RouteInsertion): RegistrationPoint {
  const manual = `import { ${route.name} } from the route file ${basename(route.module, '.js')}.ts where the app builds its server and call server.route(${route.name}) before it listens.`;
  const lastPerPlace = [...new Map(registrations.map((call) => [containerOf(call), call])).values()];
  const [only] = lastPerPlace;
  if (only !== undefined) {
    if (lastPerPlace.length > 1) {
      throw new FerryError('INPUT_INVALID', `the app registers routes in ${lastPerPlace.length} places: ${lastPerPlace.map(where).join(', ')}`, { field: 'src', hint: `Choose one by hand: ${manual}` });
    }
    const statement = only.getParentIfKind(SyntaxKind.ExpressionStatement);
    if (!statement) throw unrecognised(where(only), `\`server.route(...);\` as a statement of its own`, manual);
    return { after: statement, receiver: only.getExpression().asKindOrThrow(SyntaxKind.PropertyAccessExpression).getExpression().getText() };
  }
  const servers = files.flatMap(serverVariablesIn);
  const [server] = servers;
  const statement = server?.getVariableStatement();
  if (server === undefined || statement === undefined) {
    throw new FerryError('INPUT_INVALID', "no place to register routes found in the app's src/: looked for a server.route(...) call, or a variable holding the server createFerryServer from @ferry/server makes", {
      field: 'src',
      hint: `Register the route by hand: ${manual}`,
    });
  }
  if (servers.length > 1) {
    throw new FerryError('INPUT_INVALID', `${servers.length} servers are made with createFerryServer and none registers a route yet: ${servers.map(where).join(', ')}`, {
      field: 'src',
      hint: `Choose one by hand: ${manual}`,
    });
  }
  return { after: statement, receiver: server.getName() };
}

/** The function (or, at top level, the file) a registration sits in: routes are added where the app already adds them. */
function containerOf(call: CallExpression): Node {
  return call.getFirstAncestor(Node.isFunctionLikeDeclaration) ?? call.getSourceFile();
}

function where(node: Node): string {
  return `${node.getSourceFile().getBaseName()}:${node.getStartLineNumber()}`;
}

/**
 * Inserts a line after the line `node` ends on, so a trailing comment stays
 * with its statement (ts-morph's insertStatements would put the new code
 * between them).
 */
function insertLineAfter(file: SourceFile, node: Node, line: string): void {
  const text = file.getFullText();
  const newline = text.indexOf('\n', node.getEnd());
  file.insertText(newline === -1 ? text.length : newline, `\n${node.getIndentationText()}${line}`);
}
