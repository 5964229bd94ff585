import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { FerryError, FerryHost, findConfigFile } from '@ferry/core';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'info';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  hint?: string;
}

const MIN_NODE = [20, 10] as const;

export function checkNode(version = process.versions.node): CheckResult {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return ok
    ? { name: 'node', status: 'ok', detail: `Node ${version}` }
    : {
        name: 'node',
        status: 'fail',
        detail: `Node ${version} is older than ${MIN_NODE.join('.')}`,
        hint: `Install Node ${MIN_NODE.join('.')} or newer (nvm install 20).`,
      };
}

/** Loads the app for real (plugins set up, providers registered) and reports what went wrong. */
export async function checkConfig(configOption: string | undefined): Promise<{ result: CheckResult; host?: FerryHost }> {
  const file = findConfigFile(configOption ?? process.cwd());
  if (!file && configOption === undefined) {
    const host = await FerryHost.start({ config: {}, appDir: process.cwd() });
    return {
      result: {
        name: 'config',
        status: 'info',
        detail: 'no ferry config in this folder: built-in plugin only',
        hint: 'Run ferry commands in an app folder, or pass --config path/to/ferry.config.json.',
      },
      host,
    };
  }
  try {
    const host = await FerryHost.start({ config: configOption ?? process.cwd() });
    return { result: { name: 'config', status: 'ok', detail: `${host.configPath} is valid: ${host.plugins.length} plugins set up` }, host };
  } catch (error) {
    const ferry = error instanceof FerryError ? error : undefined;
    return {
      result: {
        name: 'config',
        status: 'fail',
        detail: ferry ? `${ferry.code}: ${ferry.message.split('\n')[0]}` : String(error),
        ...(ferry ? { hint: ferry.hint } : {}),
      },
    };
  }
}

/** The native backend is a plugin (@ferry/native); say whether it is there and serving. */
export function checkKernels(host: FerryHost | undefined): CheckResult[] {
  if (!host) return [{ name: 'kernels', status: 'warn', detail: 'not checked: the config did not load' }];
  const backends = host.kernels.listBackends();
  const results: CheckResult[] = backends.map((backend) => ({
    name: `kernels:${backend.name}`,
    status: backend.available ? 'ok' : 'warn',
    detail: backend.available
      ? `${backend.kernels.length} kernels, priority ${backend.priority} (from ${backend.owner})`
      : `unavailable: ${backend.reason ?? 'its probe said no'}`,
  }));
  if (!backends.some((b) => b.name === 'native')) {
    const installed = isResolvable('@ferry/native', host.appDir);
    results.push({
      name: 'kernels:native',
      status: 'warn',
      detail: installed
        ? '@ferry/native is installed but not in the plugins of this app: kernels run on the js reference backend'
        : '@ferry/native is not installed: kernels run on the js reference backend (correct, slower)',
      hint: installed
        ? 'Add "@ferry/native" to the plugins list of the ferry config.'
        : 'pnpm add @ferry/native (needs python3, make and a C++ compiler for node-gyp), then add it to the plugins list.',
    });
  }
  return results;
}

export function checkCuda(run: typeof spawnSync = spawnSync): CheckResult[] {
  const nvcc = run('nvcc', ['--version'], { encoding: 'utf8' });
  const release = typeof nvcc.stdout === 'string' ? /release (\d+\.\d+)/.exec(nvcc.stdout)?.[1] : undefined;
  const smi = run('nvidia-smi', ['-L'], { encoding: 'utf8' });
  const gpus = smi.status === 0 && typeof smi.stdout === 'string' ? smi.stdout.split('\n').filter((line) => line.startsWith('GPU ')) : [];
  return [
    release
      ? { name: 'cuda:nvcc', status: 'ok', detail: `nvcc ${release} found: CUDA kernels can be compiled` }
      : { name: 'cuda:nvcc', status: 'info', detail: 'nvcc not found: CUDA kernels are not built', hint: 'Install the CUDA toolkit if this machine has an NVIDIA GPU.' },
    gpus.length > 0
      ? { name: 'cuda:device', status: 'ok', detail: gpus.join('; ') }
      : { name: 'cuda:device', status: 'info', detail: smi.error ? 'no NVIDIA driver (nvidia-smi not found): no CUDA device' : 'no CUDA device found' },
  ];
}

function isResolvable(name: string, fromDir: string): boolean {
  try {
    createRequire(`${fromDir}/package.json`).resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}
