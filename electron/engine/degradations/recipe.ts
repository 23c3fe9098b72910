/**
 * Degradation recipes: which ops, with which parameters, drawn from one seed.
 * A port of sample_recipe / labels in models/restora_models/degradations.py;
 * the same (seed, severity) gives a deep-equal recipe (checked against
 * models/zoo/degradation_vectors.json). Parameters are stored rounded exactly
 * as Python rounds them, and rendering uses the stored values.
 */
import { Mulberry32, pyRound } from './prng.js';

export const SEVERITIES = ['light', 'medium', 'severe'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Application order; each op's pixel noise has its own seed, so dropping one never changes the others. */
export const OP_ORDER = ['grain', 'blur', 'downsample', 'fade', 'mono', 'cast', 'scratches', 'dust', 'noise', 'jpeg'] as const;
export type OpName = (typeof OP_ORDER)[number];

export const DAMAGE_TYPES = ['scratches', 'noise', 'blur', 'jpeg', 'fade', 'cast', 'grain', 'mono'] as const;
export type DamageType = (typeof DAMAGE_TYPES)[number];

export interface ScratchLine {
  x: number;
  y: number;
  angle: number;
  length: number;
  bend: number;
  width: number;
  bright: boolean;
  opacity: number;
}

export type DegradationOp =
  | { op: 'grain'; amount: number; size: number; seed: number }
  | { op: 'blur'; sigma_x: number; sigma_y: number; theta: number }
  | { op: 'downsample'; r: number }
  | { op: 'fade'; amount: number }
  | { op: 'mono' }
  | { op: 'cast'; kind: 'sepia' | 'tint'; strength: number; gains: [number, number, number] }
  | { op: 'scratches'; lines: ScratchLine[] }
  | { op: 'dust'; count: number; seed: number }
  | { op: 'noise'; sigma: number; gray: boolean; seed: number }
  | { op: 'jpeg'; quality: number };

export interface DegradationRecipe {
  seed: number;
  severity: Severity;
  ops: DegradationOp[];
}

type Range = readonly [number, number];
interface SeverityRanges {
  p: Record<OpName, number>;
  sigma: Range;
  r: Range;
  delta: Range;
  q: Range;
  grain: Range;
  fade: Range;
  cast: Range;
  scratches: Range;
  dust: Range;
}

export const RANGES: Record<Severity, SeverityRanges> = {
  light: {
    p: { grain: 0.35, blur: 0.6, downsample: 0.4, fade: 0.35, mono: 0.25, cast: 0.35, scratches: 0.3, dust: 0.3, noise: 0.6, jpeg: 0.6 },
    sigma: [0.2, 1.0], r: [1.0, 1.5], delta: [1.0, 5.0], q: [70, 95],
    grain: [0.015, 0.035], fade: [0.1, 0.35], cast: [0.2, 0.5], scratches: [1, 3], dust: [5, 25],
  },
  medium: {
    p: { grain: 0.4, blur: 0.75, downsample: 0.6, fade: 0.5, mono: 0.3, cast: 0.5, scratches: 0.5, dust: 0.5, noise: 0.8, jpeg: 0.8 },
    sigma: [0.5, 2.0], r: [1.0, 2.5], delta: [3.0, 12.0], q: [45, 85],
    grain: [0.025, 0.06], fade: [0.2, 0.6], cast: [0.3, 0.8], scratches: [2, 6], dust: [15, 60],
  },
  severe: {
    p: { grain: 0.45, blur: 0.9, downsample: 0.8, fade: 0.6, mono: 0.35, cast: 0.6, scratches: 0.7, dust: 0.7, noise: 0.9, jpeg: 0.9 },
    sigma: [1.0, 4.0], r: [1.5, 4.0], delta: [8.0, 20.0], q: [30, 60],
    grain: [0.04, 0.09], fade: [0.4, 0.85], cast: [0.5, 1.0], scratches: [4, 10], dust: [40, 120],
  },
};

const r5 = (x: number) => pyRound(x, 5);

/** The ordered ops of one degradation, every draw from Mulberry32(seed) in the documented order. */
export function sampleRecipe(seed: number, severity: Severity): DegradationRecipe {
  const cfg = RANGES[severity];
  if (!cfg) throw new Error(`Unknown severity ${String(severity)}`);
  const g = new Mulberry32(seed);
  const ops: DegradationOp[] = [];
  for (const name of OP_ORDER) {
    if (!(g.next() < cfg.p[name])) continue; // always exactly one draw per op
    switch (name) {
      case 'grain': {
        const amount = r5(g.uniform(...cfg.grain));
        const size = r5(g.uniform(0.4, 1.2));
        ops.push({ op: 'grain', amount, size, seed: g.seed32() });
        break;
      }
      case 'blur': {
        const s1 = g.uniform(...cfg.sigma);
        const aniso = g.next() < 0.3;
        const s2 = aniso ? g.uniform(...cfg.sigma) : s1;
        const theta = aniso ? g.uniform(0, Math.PI) : 0;
        ops.push({ op: 'blur', sigma_x: r5(s1), sigma_y: r5(s2), theta: r5(theta) });
        break;
      }
      case 'downsample':
        ops.push({ op: 'downsample', r: r5(g.uniform(...cfg.r)) });
        break;
      case 'fade':
        ops.push({ op: 'fade', amount: r5(g.uniform(...cfg.fade)) });
        break;
      case 'mono':
        ops.push({ op: 'mono' });
        break;
      case 'cast': {
        const kind = g.next() < 0.5 ? 'sepia' : 'tint';
        const strength = r5(g.uniform(...cfg.cast));
        const gains: [number, number, number] = [r5(g.uniform(-0.15, 0.15)), r5(g.uniform(-0.15, 0.15)), r5(g.uniform(-0.15, 0.15))];
        ops.push({ op: 'cast', kind, strength, gains });
        break;
      }
      case 'scratches': {
        const n = g.randint(...cfg.scratches);
        const lines: ScratchLine[] = [];
        for (let i = 0; i < n; i++) {
          // Object literal order is evaluation order: x, y, angle, length, bend, width, bright, opacity.
          lines.push({
            x: r5(g.next()),
            y: r5(g.next()),
            angle: r5(g.uniform(0, Math.PI)),
            length: r5(g.uniform(0.2, 1.0)),
            bend: r5(g.uniform(-0.15, 0.15)),
            width: r5(g.uniform(0.6, 2.2)),
            bright: g.next() < 0.7,
            opacity: r5(g.uniform(0.4, 0.95)),
          });
        }
        ops.push({ op: 'scratches', lines });
        break;
      }
      case 'dust': {
        const count = g.randint(...cfg.dust);
        ops.push({ op: 'dust', count, seed: g.seed32() });
        break;
      }
      case 'noise': {
        const sigma = pyRound(g.uniform(...cfg.delta) / 255, 6);
        const gray = g.next() < 0.3;
        ops.push({ op: 'noise', sigma, gray, seed: g.seed32() });
        break;
      }
      case 'jpeg':
        ops.push({ op: 'jpeg', quality: g.randint(...cfg.q) });
        break;
    }
  }
  return { seed, severity, ops };
}

/** Per damage type, how strongly the recipe applies it (0..1, 4 decimals) — the severity head's targets. */
export function recipeLabels(recipe: DegradationRecipe): Record<DamageType, number> {
  const lab = Object.fromEntries(DAMAGE_TYPES.map((k) => [k, 0])) as Record<DamageType, number>;
  for (const op of recipe.ops) {
    switch (op.op) {
      case 'grain': lab.grain = Math.min(1, op.amount / 0.09); break;
      case 'blur': lab.blur = Math.max(lab.blur, Math.min(1, Math.max(op.sigma_x, op.sigma_y) / 4)); break;
      case 'downsample': lab.blur = Math.max(lab.blur, Math.min(1, (op.r - 1) / 3)); break;
      case 'fade': lab.fade = op.amount; break;
      case 'mono': lab.mono = 1; break;
      case 'cast': lab.cast = op.strength; break;
      case 'scratches': lab.scratches = Math.max(lab.scratches, Math.min(1, op.lines.length / 8)); break;
      case 'dust': lab.scratches = Math.max(lab.scratches, Math.min(1, op.count / 100)); break;
      case 'noise': lab.noise = Math.min(1, (op.sigma * 255) / 20); break;
      case 'jpeg': lab.jpeg = Math.min(1, (95 - op.quality) / 65); break;
    }
  }
  for (const k of DAMAGE_TYPES) lab[k] = pyRound(lab[k], 4);
  return lab;
}

/** The recipe with op `name` present (default parameters if absent), e.g. mono for "make it black and white". */
export function withOp(recipe: DegradationRecipe, name: 'mono'): DegradationRecipe {
  if (recipe.ops.some((o) => o.op === name)) return recipe;
  const ops = [...recipe.ops, { op: name } as DegradationOp].sort((a, b) => OP_ORDER.indexOf(a.op) - OP_ORDER.indexOf(b.op));
  return { ...recipe, ops };
}
