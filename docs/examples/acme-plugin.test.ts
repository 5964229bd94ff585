import { describe, expect, it } from 'vitest';
import { FerryHost, Tensor } from '@ferry/core';
import { describeConformance, runConformance } from '@ferry/core/testing';
import { acmeKernels, plugin } from './acme-plugin.js';

// One line holds the backend to the js reference on every conformance case of the kernels it implements.
describeConformance(acmeKernels, { describe, it });

describe('acme plugin in a host', () => {
  it('registers a model, a kernel backend that wins over js, and a pipeline', async () => {
    const host = await FerryHost.start({ config: { plugins: [{ use: plugin, config: { suffix: '?!' } }] } });
    const embedder = await host.model('embedding', 'acme:letters');
    const [v] = await embedder.embed(['abc']);
    expect(v?.length).toBe(26);
    expect(host.kernels.backendFor('silu')).toBe('acme-fast');
    expect(host.kernels.backendFor('softmax')).toBe('js');
    const y = await host.kernels.ops.silu(Tensor.from(new Float32Array([0, 1]), [2]));
    expect(y.data[1]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    const shout = host.pipelines.get('acme.shout');
    await expect(shout.run({ text: 'ferry' })).resolves.toMatchObject({ output: { text: 'FERRY?!' } });
    await host.dispose();
  });

  it('the kit reports which kernels it checked', async () => {
    const report = await runConformance(acmeKernels);
    expect(report.passed).toBe(true);
    expect(new Set(report.results.map((r) => r.kernel))).toEqual(new Set(['silu']));
  });
});
