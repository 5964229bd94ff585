import { Node, SyntaxKind, type ExportSpecifier, type ImportSpecifier } from 'ts-morph';

// Enough for any chain of re-exports an app writes; ends a cycle the compiler would reject anyway.
const MAX_HOPS = 16;

/**
 * Which export of the package `pkg` `node` names, if any: `pipeline` for
 * `pipeline`, for `build` under `import { pipeline as build }`, for
 * `ferry.pipeline` (or the type `ferry.Pipeline`) under `import * as ferry`,
 * and for a name the app re-exports from its own module. Read from the import
 * declarations, not from the package's types, so it answers in an app whose
 * dependencies are not installed.
 */
export function packageExportName(node: Node, pkg: string): string | undefined {
  if (Node.isPropertyAccessExpression(node) || Node.isQualifiedName(node)) {
    const namespace = Node.isPropertyAccessExpression(node) ? node.getExpression() : node.getLeft();
    return Node.isIdentifier(namespace) && isNamespaceOf(namespace, pkg) ? (Node.isPropertyAccessExpression(node) ? node.getName() : node.getRight().getText()) : undefined;
  }
  if (!Node.isIdentifier(node)) return undefined;
  let symbol = node.getSymbol();
  for (let hop = 0; symbol !== undefined && hop < MAX_HOPS; hop++) {
    for (const declaration of symbol.getDeclarations()) {
      if ((Node.isImportSpecifier(declaration) || Node.isExportSpecifier(declaration)) && moduleOf(declaration) === pkg) {
        // `pipeline as build`: the name node is the package's, the alias the app's.
        return declaration.getNameNode().getText();
      }
    }
    symbol = symbol.isAlias() ? symbol.getImmediatelyAliasedSymbol() : undefined;
  }
  return undefined;
}

/** Which @ferry/core export `node` names: how the scan knows pipelines, steps and middleware. */
export function coreExportName(node: Node): string | undefined {
  return packageExportName(node, '@ferry/core');
}

function isNamespaceOf(identifier: Node, pkg: string): boolean {
  return (identifier.getSymbol()?.getDeclarations() ?? []).some(
    (declaration) => Node.isNamespaceImport(declaration) && declaration.getFirstAncestorByKind(SyntaxKind.ImportDeclaration)?.getModuleSpecifierValue() === pkg,
  );
}

function moduleOf(specifier: ImportSpecifier | ExportSpecifier): string | undefined {
  return Node.isImportSpecifier(specifier) ? specifier.getImportDeclaration().getModuleSpecifierValue() : specifier.getExportDeclaration().getModuleSpecifierValue();
}
