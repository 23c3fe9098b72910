/**
 * Reads the float32 constants of a small ONNX graph without a runtime: enough to run a graph of known
 * shape in plain TypeScript (the learned instruction reader, instruction-reader.ts). Protobuf by hand,
 * only the fields such a graph uses; engine/onnx-builder.ts writes them.
 */

/** A float32 constant of a graph (an initializer). */
export interface Constant {
  name: string;
  dims: number[];
  data: Float32Array;
}

/** The varint at `i` in `buf`, and where the next byte is. */
function varintAt(buf: Uint8Array, i: number): [number, number] {
  let v = 0, mul = 1;
  for (;;) {
    if (i >= buf.length) throw new Error('the ONNX file ends inside a number');
    const b = buf[i++]!;
    v += (b & 0x7f) * mul;
    if (b < 0x80) return [v, i];
    mul *= 128;
  }
}

function packedVarints(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < b.length; ) {
    const [v, next] = varintAt(b, i);
    out.push(v);
    i = next;
  }
  return out;
}

/** Reads one protobuf field after another: [field, wire type, varint value or bytes]. */
function* fields(buf: Uint8Array): Generator<[number, number, number, Uint8Array | null]> {
  let i = 0;
  const readVarint = () => {
    const [v, next] = varintAt(buf, i);
    i = next;
    return v;
  };
  while (i < buf.length) {
    const k = readVarint();
    const field = Math.floor(k / 8), wire = k & 7;
    if (wire === 0) yield [field, wire, readVarint(), null];
    else if (wire === 2) {
      const n = readVarint();
      if (i + n > buf.length) throw new Error('the ONNX file ends inside a field');
      yield [field, wire, n, buf.subarray(i, i + n)];
      i += n;
    } else if (wire === 5) { i += 4; yield [field, wire, 0, null]; }
    else if (wire === 1) { i += 8; yield [field, wire, 0, null]; }
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

/**
 * The float32 constants of an ONNX file (its graph's initializers, stored as raw data), by name, and its
 * nodes' operators in order: enough to run a small graph of known shape without a runtime (the learned
 * instruction reader, instruction-reader.ts).
 */
export function readOnnxConstants(file: Uint8Array): { constants: Map<string, Constant>; ops: string[] } {
  const constants = new Map<string, Constant>();
  const ops: string[] = [];
  for (const [f, , , graph] of fields(file)) {
    if (f !== 7 || !graph) continue;
    for (const [g, , , body] of fields(graph)) {
      if (g === 1 && body) for (const [n, , , v] of fields(body)) if (n === 4 && v) ops.push(new TextDecoder().decode(v));
      if (g !== 5 || !body) continue;
      const dims: number[] = [];
      let name = '', type = 0, raw: Uint8Array | null = null;
      for (const [t, wire, v, b] of fields(body)) {
        if (t === 1 && wire === 0) dims.push(v);
        else if (t === 1 && b) dims.push(...packedVarints(b));
        else if (t === 2) type = v;
        else if (t === 8 && b) name = new TextDecoder().decode(b);
        else if (t === 9 && b) raw = b;
      }
      if (type !== 1 || !raw) throw new Error(`constant ${name || '(unnamed)'} is not float32 raw data`);
      const count = dims.reduce((a, d) => a * d, 1);
      if (raw.length !== count * 4) throw new Error(`constant ${name} holds ${raw.length} bytes, its shape ${dims.join('×')} needs ${count * 4}`);
      const data = new Float32Array(count);
      new Uint8Array(data.buffer).set(raw);
      constants.set(name, { name, dims, data });
    }
  }
  return { constants, ops };
}
