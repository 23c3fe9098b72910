/**
 * Hierarchical semantic conditioning, the engine side (after Pref-Restore):
 * the cue encoder reads a crop of the photo, the integrator generates one
 * semantic token per slot auto-regressively from those cues and the tokenised
 * instruction, and the hidden states at the generated positions become the
 * dense latent queries that steer the restorer. The decoding loop runs here,
 * one ONNX Runtime call per step.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ort } from '../ort.js';
import { Tokenizer } from './tokenizer.js';
import type { LoadedModel } from '../session-cache.js';
import { RestoraError } from '../../shared/errors.js';

export const SemanticsSpec = z.object({
  K: z.number().int().positive().max(64),
  slots: z.array(z.object({ name: z.string(), values: z.array(z.string()).min(1), firstId: z.number().int().nonnegative() })),
  bosId: z.number().int(),
  dq: z.number().int().positive(),
  cueImageSize: z.number().int().positive(),
  tokenizer: z.string().regex(/^[\w.-]+\.json$/),
});
export type SemanticsSpec = z.infer<typeof SemanticsSpec>;

export interface Understanding {
  /** Slot name → chosen value, e.g. { grain: 'keep', scope: 'faces' }. */
  values: Record<string, string>;
  /** The same as "slot:value" strings, in slot order (stored in the recipe). */
  tokens: string[];
  /** [K, dq] latent queries, row-major. */
  queries: Float32Array;
  K: number;
  dq: number;
  /** Estimated damage per type (0..1) from the cue encoder. */
  severity: Record<string, number>;
  timings: { cues: number; decode: number };
}

/** The cue encoder's output for one photo (SemanticIntegrator.readCues). */
export interface CueReading {
  cues: ort.Tensor;
  severity: Float32Array;
  seconds: number;
}

export class SemanticIntegrator {
  readonly spec: SemanticsSpec;
  private readonly tokenizer: Tokenizer;
  private readonly severityOrder: string[];

  constructor(private readonly cue: LoadedModel, private readonly integ: LoadedModel) {
    const parsed = SemanticsSpec.safeParse(integ.model.manifest?.semantics);
    if (!parsed.success) throw new RestoraError('CorruptInput', `Model ${integ.model.id}: its manifest has no usable "semantics" block`);
    this.spec = parsed.data;
    const tokPath = path.join(integ.model.dir, this.spec.tokenizer);
    this.tokenizer = new Tokenizer(JSON.parse(fs.readFileSync(tokPath, 'utf8')));
    this.severityOrder = z.array(z.string()).parse((cue.model.manifest as Record<string, unknown>).severityOrder ?? []);
  }

  tokenize(instruction: string): number[] {
    return this.tokenizer.encode(instruction);
  }

  /** Central cue crop (resizing up first when the image is smaller than the crop), NCHW. */
  cueCrop(rgb: Float32Array, w: number, h: number): Float32Array {
    const s = this.spec.cueImageSize;
    let src = rgb, sw = w, sh = h;
    if (w < s || h < s) {
      const scale = s / Math.min(w, h);
      sw = Math.max(s, Math.round(w * scale));
      sh = Math.max(s, Math.round(h * scale));
      src = resizeBilinear(rgb, w, h, sw, sh);
    }
    const x0 = Math.floor((sw - s) / 2), y0 = Math.floor((sh - s) / 2);
    const out = new Float32Array(3 * s * s);
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < s; y++)
        for (let x = 0; x < s; x++) out[c * s * s + y * s + x] = src[((y0 + y) * sw + x0 + x) * 3 + c]!;
    return out;
  }

  /** The cue encoder's reading of a photo: what every decoding of the same photo starts from. */
  async readCues(rgb: Float32Array, w: number, h: number): Promise<CueReading> {
    const s = this.spec.cueImageSize;
    const t = performance.now();
    const out = await this.cue.session.run({ image: new ort.Tensor('float32', this.cueCrop(rgb, w, h), [1, 3, s, s]) });
    return { cues: out.cues!, severity: out.severity!.data as Float32Array, seconds: (performance.now() - t) / 1000 };
  }

  /**
   * Reads the photo and the instruction. `force` fixes some slots' values instead of decoding them (e.g.
   * { fade: 'off', cast: 'keep' } for a restorer whose input the tone model has already corrected); the
   * other slots are decoded after them, as usual. `reading`: the photo's cues from readCues, when the caller
   * decodes the same photo more than once (the cue encoder then runs once).
   */
  async understand(rgb: Float32Array, w: number, h: number, instruction: string, force: Record<string, string> = {}, reading?: CueReading): Promise<Understanding> {
    const { cues, severity: sev, seconds: cueSeconds } = reading ?? (await this.readCues(rgb, w, h));
    const t = performance.now();
    const ids = this.tokenize(instruction);
    const instructionIds = new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
    const sem: number[] = [this.spec.bosId];
    for (const slot of this.spec.slots) {
      const forced = force[slot.name] !== undefined ? slot.values.indexOf(force[slot.name]!) : -1;
      if (forced >= 0) {
        sem.push(slot.firstId + forced);
        continue;
      }
      const out = await this.step(cues, instructionIds, sem);
      const logits = out.logits!.data as Float32Array;
      let best = slot.firstId;
      for (let id = slot.firstId; id < slot.firstId + slot.values.length; id++) if (logits[id]! > logits[best]!) best = id;
      sem.push(best);
    }
    const queries = (await this.step(cues, instructionIds, sem)).queries!;
    const dq = this.spec.dq;
    const K = this.spec.slots.length;
    const all = queries.data as Float32Array;
    const values: Record<string, string> = {};
    const tokens: string[] = [];
    this.spec.slots.forEach((slot, i) => {
      const v = slot.values[sem[i + 1]! - slot.firstId]!;
      values[slot.name] = v;
      tokens.push(`${slot.name}:${v}`);
    });
    const severity: Record<string, number> = {};
    this.severityOrder.forEach((name, i) => (severity[name] = Math.round(sev[i]! * 1000) / 1000));
    return { values, tokens, queries: all.slice(dq, dq * (K + 1)), K, dq, severity, timings: { cues: cueSeconds, decode: (performance.now() - t) / 1000 } };
  }

  private step(cues: ort.Tensor, instructionIds: ort.Tensor, sem: number[]) {
    return this.integ.session.run({ cues, instruction_ids: instructionIds, semantic_ids: new ort.Tensor('int64', BigInt64Array.from(sem.map(BigInt)), [1, sem.length]) });
  }
}

/** Bilinear resize of HWC RGB (half-pixel centres, like PyTorch's align_corners=False). */
export function resizeBilinear(src: Float32Array, w: number, h: number, nw: number, nh: number): Float32Array {
  const out = new Float32Array(nw * nh * 3);
  const sx = w / nw, sy = h / nh;
  for (let y = 0; y < nh; y++) {
    const fy = Math.min(h - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(h - 1, y0 + 1), ay = fy - y0;
    for (let x = 0; x < nw; x++) {
      const fx = Math.min(w - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx), x1 = Math.min(w - 1, x0 + 1), ax = fx - x0;
      for (let c = 0; c < 3; c++) {
        const a = src[(y0 * w + x0) * 3 + c]!, b = src[(y0 * w + x1) * 3 + c]!;
        const d = src[(y1 * w + x0) * 3 + c]!, e = src[(y1 * w + x1) * 3 + c]!;
        out[(y * nw + x) * 3 + c] = (a * (1 - ax) + b * ax) * (1 - ay) + (d * (1 - ax) + e * ax) * ay;
      }
    }
  }
  return out;
}
