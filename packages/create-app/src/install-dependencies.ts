import { spawn } from 'node:child_process';
import { FerryError } from '@ferry/core';
import { findWorkspaceRoot, linkWorkspaceDependencies } from './workspace-link.js';

export type InstallMode = 'linked' | 'npm' | 'skipped';

/** Inside the Ferry monorepo: link (offline). Elsewhere: `npm install`. */
export async function installDependencies(appDir: string, install: boolean): Promise<InstallMode> {
  if (!install) return 'skipped';
  const root = findWorkspaceRoot();
  if (root) {
    await linkWorkspaceDependencies(appDir, root);
    return 'linked';
  }
  await runCommand(['npm', 'install'], appDir, 'npm install');
  return 'npm';
}

export function runCommand(argv: string[], cwd: string, what: string): Promise<void> {
  const [command, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(command ?? '', args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
    child.on('error', (error) =>
      reject(new FerryError('INPUT_INVALID', `${what} could not start: ${error.message}`, { hint: `Check that "${command}" is on PATH.`, cause: error })),
    );
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new FerryError('INPUT_INVALID', `${what} failed (${signal ?? `exit ${code}`}) in ${cwd}`, {
            hint: `Run "${argv.join(' ')}" in ${cwd} to see the problem; the app's files are already written.`,
          }),
        );
    });
  });
}
