/**
 * The smallest ONNX model (y = Identity(x), x: float[1]) as protobuf bytes,
 * written out here so probing an execution provider needs no model file.
 * Field numbers are from onnx.proto.
 */
export function identityModelBytes(): Uint8Array {
  const FLOAT = 1;
  // ValueInfoProto { name = 1, type = 2 { tensor_type = 1 { elem_type = 1, shape = 2 { dim = 1 { dim_value = 1 } } } } }
  const valueInfo = (name: string): number[] => [
    ...text(1, name),
    ...message(2, message(1, [...varintField(1, FLOAT), ...message(2, message(1, varintField(1, 1)))])),
  ];
  // NodeProto { input = 1, output = 2, op_type = 4 }
  const node = [...text(1, 'x'), ...text(2, 'y'), ...text(4, 'Identity')];
  // GraphProto { node = 1, name = 2, input = 11, output = 12 }
  const graph = [...message(1, node), ...text(2, 'probe'), ...message(11, valueInfo('x')), ...message(12, valueInfo('y'))];
  // ModelProto { ir_version = 1, graph = 7, opset_import = 8 { domain = 1, version = 2 } }
  return Uint8Array.from([...varintField(1, 8), ...message(7, graph), ...message(8, [...text(1, ''), ...varintField(2, 13)])]);
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

function varintField(field: number, value: number): number[] {
  return [...varint(field << 3), ...varint(value)];
}

function message(field: number, body: number[]): number[] {
  return [...varint((field << 3) | 2), ...varint(body.length), ...body];
}

function text(field: number, value: string): number[] {
  return message(field, [...new TextEncoder().encode(value)]);
}
