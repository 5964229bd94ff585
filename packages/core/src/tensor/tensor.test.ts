import { describe, expect, it } from 'vitest';
import { expectFerryError } from '../kernels/js/kernel-test-utils.test-helper.js';
import { Tensor, tensor } from './tensor.js';

describe('Tensor', () => {
  it('allocates zeros with row-major strides', () => {
    const t = Tensor.zeros([2, 3, 4]);
    expect(t.dtype).toBe('f32');
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.shape).toEqual([2, 3, 4]);
    expect(t.strides).toEqual([12, 4, 1]);
    expect(t.size).toBe(24);
    expect(Tensor.zeros([3], 'u8').data).toBeInstanceOf(Uint8Array);
    expect(Tensor.zeros([], 'i32').size).toBe(1);
  });

  it('wraps typed arrays without copying and copies number arrays', () => {
    const storage = new Int8Array([1, 2, 3, 4]);
    const wrapped = Tensor.from(storage, [2, 2]);
    expect(wrapped.dtype).toBe('i8');
    storage[0] = 9;
    expect(wrapped.toArray()).toEqual([[9, 2], [3, 4]]);
    const numbers = [1, 2];
    const copied = Tensor.from(numbers, [2], 'i32');
    numbers[0] = 7;
    expect(copied.toArray()).toEqual([1, 2]);
  });

  it('infers the shape of nested arrays and rejects ragged ones', () => {
    const t = tensor([[[1, 2]], [[3, 4]], [[5, 6]]]);
    expect(t.shape).toEqual([3, 1, 2]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tensor(3.5).shape).toEqual([]);
    expectFerryError(() => tensor([[1, 2], [3]]), 'TENSOR_SHAPE', 'data', 'ragged');
  });

  it('rejects data that does not fit the dtype or the shape', () => {
    expectFerryError(() => Tensor.from([1, 200], [2], 'i8'), 'INPUT_INVALID', 'data[1]', '200', 'i8');
    expectFerryError(() => Tensor.from([1.5], [1], 'i32'), 'INPUT_INVALID', 'data[0]');
    expectFerryError(() => new Tensor('f32', new Float32Array(5), [2, 3]), 'TENSOR_SHAPE', 'shape', '[2, 3]', '5');
    expectFerryError(() => new Tensor('f32', new Int32Array(6) as unknown as Float32Array, [2, 3]), 'INPUT_INVALID', 'data', 'Float32Array');
    expectFerryError(() => Tensor.zeros([2, -1]), 'TENSOR_SHAPE', 'shape');
  });

  it('reshapes as a view over the same storage, inferring one -1', () => {
    const t = tensor([1, 2, 3, 4, 5, 6]);
    const v = t.reshape([2, -1]);
    expect(v.shape).toEqual([2, 3]);
    expect(v.strides).toEqual([3, 1]);
    v.data[5] = 60;
    expect(t.data[5]).toBe(60);
    expect(t.view([3, 2]).data).toBe(t.data);
    expectFerryError(() => t.reshape([4, 2]), 'TENSOR_SHAPE', 'shape', '[6]', '[4, 2]');
    expectFerryError(() => t.reshape([-1, -1]), 'TENSOR_SHAPE', 'shape');
    expectFerryError(() => t.reshape([4, -1]), 'TENSOR_SHAPE', 'shape');
  });

  it('slices dim 0 as a subarray view', () => {
    const t = tensor([[1, 2], [3, 4], [5, 6]]);
    const s = t.slice(1, 3);
    expect(s.shape).toEqual([2, 2]);
    expect(s.toArray()).toEqual([[3, 4], [5, 6]]);
    s.data[0] = 30;
    expect(t.toArray()).toEqual([[1, 2], [30, 4], [5, 6]]);
    expect(t.slice(2).shape).toEqual([1, 2]);
    expect(t.slice(1, 1).size).toBe(0);
    expectFerryError(() => t.slice(2, 4), 'TENSOR_SHAPE', 'end', '[3, 2]');
    expectFerryError(() => t.slice(-1), 'TENSOR_SHAPE', 'start');
    expectFerryError(() => tensor(1).slice(0), 'TENSOR_SHAPE', 'start', '0-d');
  });

  it('reads single values with item() and copies with clone()', () => {
    expect(tensor([[42]]).item()).toBe(42);
    expectFerryError(() => tensor([1, 2]).item(), 'TENSOR_SHAPE', 'this', '[2]');
    const t = tensor([1, 2]);
    const c = t.clone();
    c.data[0] = 5;
    expect(t.data[0]).toBe(1);
    expect(String(t)).toBe('Tensor(f32, [2])');
  });
});
