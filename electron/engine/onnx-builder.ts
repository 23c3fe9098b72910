/**
 * Writes tiny ONNX graphs (protobuf by hand) for the engine's own measuring
 * tools, e.g. the matrix-multiply graph behind `engine.calibrate`, and the
 * learned instruction reader's MatMul + Add (models/tools/train-reader.ts;
 * electron/node/onnx-constants.ts reads its constants back). Only the
 * handful of fields those graphs need are supported.
 */

function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number((v & 0x7fn) | 0x80n));
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

function key(field: number, wire: number): number[] {
  return varint((field << 3) | wire);
}

function int(field: number, v: number): number[] {
  return [...key(field, 0), ...varint(v)];
}

function bytes(field: number, data: number[] | Uint8Array): number[] {
  return [...key(field, 2), ...varint(data.length), ...data];
}

function str(field: number, s: string): number[] {
  return bytes(field, new TextEncoder().encode(s));
}

type Dim = number | string;

function valueInfo(name: string, dims: Dim[]): number[] {
  const shape = dims.flatMap((d) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d)));
  const tensorType = [...int(1, 1 /* FLOAT */), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
}

/** A float32 constant of the graph (an initializer). */
export interface Initializer {
  name: string;
  dims: number[];
  data: Float32Array;
}

function tensor(t: Initializer): number[] {
  const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return [...t.dims.flatMap((d) => int(1, d)), ...int(2, 1 /* FLOAT */), ...str(8, t.name), ...key(9, 2), ...varint(raw.length), ...raw];
}

/** A float32 graph of the given nodes, inputs, outputs and constants, opset 17. */
export function buildOnnxModel(spec: { nodes: NodeSpec[]; inputs: Array<[string, Dim[]]>; outputs: Array<[string, Dim[]]>; initializers?: Initializer[]; name?: string }): Uint8Array {
  const graph = [
    ...spec.nodes.flatMap((n, i) =>
      bytes(1, [...n.inputs.flatMap((x) => str(1, x)), ...n.outputs.flatMap((x) => str(2, x)), ...str(3, `n${i}`), ...str(4, n.op)]),
    ),
    ...str(2, spec.name ?? 'restora-tool'),
    ...(spec.initializers ?? []).flatMap((t) => bytes(5, tensor(t))),
    ...spec.inputs.flatMap(([n, d]) => bytes(11, valueInfo(n, d))),
    ...spec.outputs.flatMap(([n, d]) => bytes(12, valueInfo(n, d))),
  ];
  const model = [...int(1, 8), ...str(2, 'restora'), ...bytes(7, graph), ...bytes(8, [...str(1, ''), ...int(2, 17)])];
  return Uint8Array.from(model);
}

/** C = A × B with A:[M,K], B:[K,N] of any size. */
export function matmulModel(): Uint8Array {
  return buildOnnxModel({
    nodes: [{ op: 'MatMul', inputs: ['A', 'B'], outputs: ['C'] }],
    inputs: [
      ['A', ['M', 'K']],
      ['B', ['K', 'N']],
    ],
    outputs: [['C', ['M', 'N']]],
  });
}
