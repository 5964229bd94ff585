/** A command as oclif exposes it: `static run(argv, config)`. */
export interface RunnableCommand<C> {
  run(argv: string[], config: C): Promise<unknown>;
}

export interface CommandRun {
  /** What the command printed through console.log and process.stdout. */
  stdout: string;
  /** 0 when run() returned, else the code oclif's this.exit()/this.error() threw with. */
  exit: number;
}

/**
 * Runs a plugin's CLI command in-process and returns what it printed and its
 * exit code, so a plugin author tests commands without spawning `ferry`.
 * Errors that are not an oclif exit are rethrown; stderr is silenced.
 */
export async function runCommand<C>(command: RunnableCommand<C>, argv: string[], config: C): Promise<CommandRun> {
  let stdout = '';
  const log = console.log;
  const write = process.stdout.write;
  const writeErr = process.stderr.write;
  // oclif's Command#log goes through console.log; streamed output goes straight to process.stdout.
  console.log = (...parts: unknown[]) => {
    stdout += `${parts.map(String).join(' ')}\n`;
  };
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await command.run(argv, config);
    return { stdout, exit: 0 };
  } catch (error) {
    const code = (error as { oclif?: { exit?: number } }).oclif?.exit;
    if (code === undefined) throw error;
    return { stdout, exit: code };
  } finally {
    console.log = log;
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}
