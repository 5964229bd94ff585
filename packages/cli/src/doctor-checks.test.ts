import type { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkCuda, checkNode } from './doctor-checks.js';

type Spawn = typeof spawnSync;

function fakeSpawn(outputs: Record<string, { status: number | null; stdout?: string; error?: Error }>): Spawn {
  return ((command: string) => {
    const out = outputs[command] ?? { status: null, error: new Error(`spawnSync ${command} ENOENT`) };
    return { status: out.status, stdout: out.stdout ?? '', stderr: '', error: out.error, pid: 0, output: [], signal: null };
  }) as unknown as Spawn;
}

describe('doctor checks', () => {
  it('accepts Node 20.10+ and fails older versions with a fix', () => {
    expect(checkNode('20.20.2').status).toBe('ok');
    expect(checkNode('22.1.0').status).toBe('ok');
    const old = checkNode('18.19.0');
    expect(old.status).toBe('fail');
    expect(old.hint).toContain('20.10');
  });

  it('reads the nvcc release and the GPUs nvidia-smi lists', () => {
    const results = checkCuda(
      fakeSpawn({
        nvcc: { status: 0, stdout: 'Cuda compilation tools, release 13.0, V13.0.48' },
        'nvidia-smi': { status: 0, stdout: 'GPU 0: NVIDIA H200 (UUID: GPU-1)\n' },
      }),
    );
    expect(results[0]).toMatchObject({ name: 'cuda:nvcc', status: 'ok', detail: expect.stringContaining('13.0') });
    expect(results[1]).toMatchObject({ name: 'cuda:device', status: 'ok', detail: 'GPU 0: NVIDIA H200 (UUID: GPU-1)' });
  });

  it('says plainly when there is no toolkit and no driver', () => {
    const [nvcc, device] = checkCuda(fakeSpawn({}));
    expect(nvcc).toMatchObject({ status: 'info', detail: expect.stringContaining('nvcc not found') });
    expect(device).toMatchObject({ status: 'info', detail: expect.stringContaining('nvidia-smi not found') });
  });
});
