import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { probeCuda, resolveDevice } from './device.js';
import { recordingLogger } from './fixtures.test-helper.js';
import { identityModelBytes } from './probe-model.js';

describe('device selection', () => {
  it('builds a probe model onnxruntime runs', async () => {
    const session = await ort.InferenceSession.create(identityModelBytes());
    expect(session.inputNames).toEqual(['x']);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(3.5), [1]) });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([3.5]);
    await session.release();
  });

  it('keeps cpu without probing and agrees with the probe for auto and cuda', async () => {
    const logger = recordingLogger();
    expect(await resolveDevice('cpu', logger, 'transformers:x')).toBe('cpu');
    const probe = await probeCuda();
    if (probe.available) {
      expect(await resolveDevice('auto', logger, 'transformers:x')).toBe('cuda');
      expect(await resolveDevice('cuda', logger, 'transformers:x')).toBe('cuda');
      expect(logger.records).toEqual([]);
      return;
    }
    expect(probe.reason).toBeTruthy();
    expect(await resolveDevice('auto', logger, 'transformers:x')).toBe('cpu');
    expect(logger.records).toHaveLength(1);
    expect(logger.records[0]!.level).toBe('warn');
    expect(logger.records[0]!.message).toMatch(/CUDA is not available, running transformers:x on the CPU/);
    await expect(resolveDevice('cuda', logger, 'transformers:x')).rejects.toMatchObject({ code: 'CONFIG_INVALID', field: 'device' });
  });
});
