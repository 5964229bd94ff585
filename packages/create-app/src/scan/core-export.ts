import { Node, SyntaxKind, type ExportSpecifier, type ImportSpecifier } from 'ts-morph';

const CORE = '@ferry/core';
// Enough for any chain of re-exports an app writes; ends a cycle the compiler would reject anyway.
const MAX_HOPS = 16;

/**
 * Which @ferry/core export `node` names, if any: `pipeline` for `pipeline`,
 * for `build` under `import { pipeline as build }`, for `ferry.pipeline`
 * under `import * as ferry`, and for a name the app re-exports from its own
 * module. Read from the import declarations, not from core's types, so it
 * answers in an app whose dependencies are not installed.
 */
export function coreExportName(node: Node): string | undefined {
  if (Node.isPropertyAccessExpression(node)) {
    const namespace = node.getExpression();
    return Node.isIdentifier(namespace) && isCoreNamespace(namespace) ? node.getName() : undefined;
  }
  if (!Node.isIdentifier(node)) return undefined;
  let symbol = node.getSymbol();
  for (let hop = 0; symbol !== undefined && hop < MAX_HOPS; hop++) {
    for (const declaration of symbol.getDeclarations()) {
      if ((Node.isImportSpecifier(declaration) || Node.isExportSpecifier(declaration)) && moduleOf(declaration) === CORE) {
        // `pipeline as build`: the name node is core's, the alias the app's.
        return declaration.getNameNode().getText();
      }
    }
    symbol = symbol.isAlias() ? symbol.getImmediatelyAliasedSymbol() : undefined;
  }
  return undefined;
}

function isCoreNamespace(identifier: Node): boolean {
  return (identifier.getSymbol()?.getDeclarations() ?? []).some(
    (declaration) => Node.isNamespaceImport(declaration) && declaration.getFirstAncestorByKind(SyntaxKind.ImportDeclaration)?.getModuleSpecifierValue() === CORE,
  );
}

function moduleOf(specifier: ImportSpecifier | ExportSpecifier): string | undefined {
  return Node.isImportSpecifier(specifier) ? specifier.getImportDeclaration().getModuleSpecifierValue() : specifier.getExportDeclaration().getModuleSpecifierValue();
}
