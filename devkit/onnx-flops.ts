/**
 * Counts the multiply-add work of one ONNX Runtime run from its profile. The
 * model runs once in a profiling session with graph optimisations disabled, so
 * every node keeps its ONNX op type and the profile records each node's real
 * input and output shapes; FLOPs (2 per multiply-add) are then summed over the
 * compute-bound ops:
 *   Conv           2 · |Y| · (C_in / group) · k_h · k_w      (W is [C_out, C_in/g, k_h, k_w])
 *   ConvTranspose  2 · |X| · (C_out / group) · k_h · k_w     (W is [C_in, C_out/g, k_h, k_w])
 *   MatMul         2 · |Y| · K                               (K = last dim of A)
 *   Gemm           2 · |Y| · K                               (K = |A| / M)
 * Element-wise ops, norms and softmax are not counted: they are memory-bound
 * and small next to these, so the count is a slight underestimate.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';

export interface ProfileNodeEvent {
  cat?: string;
  name?: string;
  args?: { op_name?: string; input_type_shape?: Array<Record<string, number[]>>; output_type_shape?: Array<Record<string, number[]>> };
}

const shapes = (list: Array<Record<string, number[]>> | undefined) => (list ?? []).map((o) => Object.values(o)[0] ?? []);
const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** FLOPs of one node event of an ORT profile (0 for ops that are not counted). */
export function nodeFlops(ev: ProfileNodeEvent): number {
  const op = ev.args?.op_name ?? '';
  const ins = shapes(ev.args?.input_type_shape), outs = shapes(ev.args?.output_type_shape);
  const y = outs[0], x = ins[0], w = ins[1];
  if (!y || !x) return 0;
  switch (op) {
    case 'Conv':
    case 'FusedConv':
      return w && w.length >= 3 ? 2 * prod(y) * prod(w.slice(1)) : 0;
    case 'ConvTranspose':
      return w && w.length >= 3 ? 2 * prod(x) * prod(w.slice(1)) : 0;
    case 'MatMul':
    case 'FusedMatMul':
      return 2 * prod(y) * (x[x.length - 1] ?? 0);
    case 'Gemm':
    case 'FusedGemm': {
      const m = y[0] ?? 1;
      return m ? 2 * prod(y) * (prod(x) / m) : 0;
    }
    default:
      return 0;
  }
}

export interface FlopCount {
  total: number;
  byOp: Record<string, number>;
  nodes: number;
}

/** Sums node FLOPs over the kernel events of a parsed ORT profile (the last run's events when there are several). */
export function flopsFromProfile(events: ProfileNodeEvent[]): FlopCount {
  const kernels = events.filter((e) => e.cat === 'Node' && e.name?.endsWith('_kernel_time'));
  // Each run logs every node once; keep the last occurrence per node name.
  const last = new Map<string, ProfileNodeEvent>();
  for (const e of kernels) last.set(e.name!, e);
  const byOp: Record<string, number> = {};
  let total = 0;
  for (const e of last.values()) {
    const f = nodeFlops(e);
    if (!f) continue;
    const op = e.args?.op_name ?? '?';
    byOp[op] = (byOp[op] ?? 0) + f;
    total += f;
  }
  return { total, byOp, nodes: last.size };
}

/** Runs `model` once on `feeds` under ORT's profiler (CPU, no graph optimisation) and counts its FLOPs. */
export async function profileFlops(model: string | Uint8Array, feeds: Record<string, ort.Tensor>): Promise<FlopCount> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-flops-'));
  try {
    const session = await ort.InferenceSession.create(model as string, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'disabled',
      enableProfiling: true,
      profileFilePrefix: path.join(dir, 'profile'),
    });
    await session.run(feeds);
    session.endProfiling();
    await session.release();
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.json'));
    if (!file) throw new Error('ONNX Runtime wrote no profile');
    return flopsFromProfile(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as ProfileNodeEvent[]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
