// A one-node ONNX model (Y = A @ B, float32, symbolic dims) encoded by hand,
// so the onnxruntime peer needs no Python and no model file in the repo.
// Field numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto,
// ValueInfoProto, TypeProto, TensorShapeProto).

function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

const key = (field, wire) => varint((field << 3) | wire);
const int = (field, n) => [...key(field, 0), ...varint(n)];
const bytes = (field, payload) => [...key(field, 2), ...varint(payload.length), ...payload];
const str = (field, s) => bytes(field, [...Buffer.from(s, 'utf8')]);

function tensorValueInfo(name, dims) {
  const shape = dims.flatMap((d) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d)));
  const tensorType = [...int(1, 1 /* FLOAT */), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

export function matmulModel() {
  const node = [...str(1, 'A'), ...str(1, 'B'), ...str(2, 'Y'), ...str(3, 'matmul'), ...str(4, 'MatMul')];
  const graph = [
    ...bytes(1, node),
    ...str(2, 'ferry-bench-matmul'),
    ...bytes(11, tensorValueInfo('A', ['M', 'K'])),
    ...bytes(11, tensorValueInfo('B', ['K', 'N'])),
    ...bytes(12, tensorValueInfo('Y', ['M', 'N'])),
  ];
  const opset = [...str(1, ''), ...int(2, 13)];
  return Uint8Array.from([...int(1, 8), ...str(2, 'ferry-bench'), ...bytes(7, graph), ...bytes(8, opset)]);
}
