/**
 * Reads `--config X`, `--config=X` or `-c X` before oclif parses anything,
 * because plugin commands must be discovered before oclif loads commands.
 */
export function configFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return undefined;
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
    if (arg === '--config' || arg === '-c') return argv[i + 1];
  }
  return undefined;
}
