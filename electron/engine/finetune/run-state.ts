/**
 * A fine-tuning run's folder, <data>/finetune/<runId>/:
 *   config.json   what was asked (name, reference paths, picks, options)
 *   state.json    step, optimiser step count, loss history
 *   state.bin     adapter, Adam m, Adam v, iterate average (float32 LE, each `size` values;
 *                 runs saved before averaging have the first three only)
 *   previews/     before.png, base.png, <step>-adapted.png
 *   result.json   written when the run finished (evaluation, adapter name)
 * state.* are replaced atomically, so a crash leaves the previous checkpoint.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FinetuneOptions, LossPoint, PickChoice, PickPair, AdapterName } from '../../shared/contract/finetune.js';
import type { TrainState } from './trainer.js';
import { writeFileAtomicSync } from '../../node/atomic-write.js';

export const RunConfig = z.object({
  name: AdapterName,
  references: z.array(z.string()),
  picks: z.array(z.object({ input: z.string(), choice: PickChoice, ...PickPair.shape })),
  options: FinetuneOptions,
  createdAt: z.number(),
  /** The references in which no face was found, once the run has looked: a resumed run does not look again. */
  faceless: z.array(z.string()).optional(),
});
export type RunConfig = z.infer<typeof RunConfig>;

const StateJson = z.object({ step: z.number().int(), t: z.number().int(), size: z.number().int(), losses: z.array(LossPoint) });

export function writeConfig(dir: string, cfg: RunConfig): void {
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomicSync(path.join(dir, 'config.json'), JSON.stringify(cfg, null, 1));
}

export function readConfig(dir: string): RunConfig | null {
  try {
    return RunConfig.parse(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')));
  } catch {
    return null;
  }
}

export function saveState(dir: string, s: TrainState): void {
  const n = s.adapter.length;
  const buf = Buffer.alloc(n * 16);
  [s.adapter, s.adam.m, s.adam.v, s.average ?? new Float32Array(n)].forEach((arr, k) => {
    for (let i = 0; i < n; i++) buf.writeFloatLE(arr[i]!, (k * n + i) * 4);
  });
  // Binary first: a state.json always describes a complete state.bin.
  writeFileAtomicSync(path.join(dir, 'state.bin'), buf);
  writeFileAtomicSync(path.join(dir, 'state.json'), JSON.stringify({ step: s.step, t: s.adam.t, size: n, losses: s.losses }));
}

export function loadState(dir: string, size: number): TrainState | null {
  let meta: z.infer<typeof StateJson>;
  let buf: Buffer;
  try {
    meta = StateJson.parse(JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')));
    buf = fs.readFileSync(path.join(dir, 'state.bin'));
  } catch {
    return null;
  }
  if (meta.size !== size || (buf.length !== size * 16 && buf.length !== size * 12)) return null;
  const arr = (k: number) => {
    const a = new Float32Array(size);
    for (let i = 0; i < size; i++) a[i] = buf.readFloatLE((k * size + i) * 4);
    return a;
  };
  return { step: meta.step, adapter: arr(0), adam: { t: meta.t, m: arr(1), v: arr(2) }, losses: meta.losses, ...(buf.length === size * 16 ? { average: arr(3) } : {}) };
}

/** The loss history only (for listing runs without reading the tensors). */
export function readLosses(dir: string): { step: number; losses: LossPoint[] } | null {
  try {
    const meta = StateJson.parse(JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')));
    return { step: meta.step, losses: meta.losses };
  } catch {
    return null;
  }
}
