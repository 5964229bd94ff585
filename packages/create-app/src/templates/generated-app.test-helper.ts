import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createApp, type CreatedApp } from '../create-app.js';
import type { AppOptions } from '../app-options.js';

const exec = promisify(execFile);

/** Scaffolds a template from the repository's templates/ into a temp folder, linked to the workspace. */
export async function scaffold(template: string, options: Partial<AppOptions> = {}): Promise<CreatedApp> {
  const dir = join(await mkdtemp(join(tmpdir(), `ferry-${template}-`)), 'app');
  return createApp({ dir, name: `test-${template}`, template, ...options });
}

/** Runs a binary of the app (tsc, vitest) or node in its folder; rejects with its output on failure. */
export async function inApp(app: CreatedApp, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const file = command === 'node' ? process.execPath : join(app.dir, 'node_modules', '.bin', command);
  try {
    const { stdout, stderr } = await exec(file, args, { cwd: app.dir, env: { ...process.env, ...env }, maxBuffer: 32 * 1024 * 1024 });
    return stdout + stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${app.dir}:\n${e.stdout ?? ''}${e.stderr ?? ''}${e.message}`);
  }
}

export interface RunningApp {
  url: string;
  process: ChildProcess;
  output(): string;
  /** SIGTERM and the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the built app (`node dist/main.js`) on a free port and waits for its "listening on URL" line. */
export function startApp(app: CreatedApp, env: NodeJS.ProcessEnv = {}): Promise<RunningApp> {
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: app.dir, env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env } });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          process: child,
          output: () => output,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code} before listening:\n${output}`));
    });
  });
}
