import { SyntaxKind, type ObjectLiteralExpression, type SourceFile } from 'ts-morph';
import { CONFIG_FILE, unrecognised } from './app-source.js';

/**
 * Adds a plugin to `export const config = defineConfig({ plugins: [...] })`.
 * Returns false when it is already there, so a second run changes nothing.
 */
export function addPluginToConfig(file: SourceFile, plugin: string): boolean {
  const config = configObject(file, plugin);
  const property = config.getProperty('plugins');
  if (!property) {
    config.insertPropertyAssignment(0, { name: 'plugins', initializer: `[${quote(plugin)}]` });
    return true;
  }
  const list = property.asKind(SyntaxKind.PropertyAssignment)?.getInitializerIfKind(SyntaxKind.ArrayLiteralExpression);
  if (!list) throw unrecognised(CONFIG_FILE, 'a `plugins: [...]` array literal', `add ${quote(plugin)} to the plugins of your config.`);
  const present = list.getElements().some((element) => {
    // `'name'`, `{ use: 'name', config: {...} }` or `['name', {...}]`.
    const use =
      element.asKind(SyntaxKind.ObjectLiteralExpression)?.getProperty('use')?.asKind(SyntaxKind.PropertyAssignment)?.getInitializer() ??
      element.asKind(SyntaxKind.ArrayLiteralExpression)?.getElements()[0];
    const name = (use ?? element).asKind(SyntaxKind.StringLiteral);
    return name?.getLiteralValue() === plugin;
  });
  if (present) return false;
  list.addElement(quote(plugin), { useNewLines: list.getElements().length > 2 || list.getText().includes('\n') });
  return true;
}

function configObject(file: SourceFile, plugin: string): ObjectLiteralExpression {
  const initializer = file.getVariableDeclaration('config')?.getInitializer();
  const call = initializer?.asKind(SyntaxKind.CallExpression);
  const object = (call ? call.getArguments()[0] : initializer)?.asKind(SyntaxKind.ObjectLiteralExpression);
  if (!object) {
    throw unrecognised(CONFIG_FILE, '`export const config = defineConfig({ ... })`', `add ${quote(plugin)} to the plugins of your config.`);
  }
  return object;
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
