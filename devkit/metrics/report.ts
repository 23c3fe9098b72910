/**
 * One image against its ground truth: every full-reference metric plus NIQE,
 * and the means of many such rows — the unit the quality benchmark and
 * fine-tuning validation report in.
 */
import { psnr } from '../../electron/engine/metrics/psnr.js';
import { psnrY, ssimRgb, ssimY } from './fidelity.js';
import { niqe } from './niqe.js';
import { hfEnergy } from './hf-energy.js';

export interface QualityRow {
  psnr: number;
  psnrY: number;
  ssim: number;
  ssimY: number;
  niqe: number;
  hf: number;
}

/** PSNR is capped at 100 dB so identical images still average and serialise as JSON. */
export const PSNR_CAP = 100;

export function qualityRow(gt: Float32Array, img: Float32Array, w: number, h: number): QualityRow {
  return {
    psnr: Math.min(PSNR_CAP, psnr(gt, img)),
    psnrY: Math.min(PSNR_CAP, psnrY(gt, img)),
    ssim: ssimRgb(gt, img, w, h),
    ssimY: ssimY(gt, img, w, h),
    niqe: niqe(img, w, h),
    hf: hfEnergy(img, w, h),
  };
}

/** Field-wise means, ignoring NaN (NIQE of an image too small to score). */
export function meanRows(rows: QualityRow[]): QualityRow {
  const keys: Array<keyof QualityRow> = ['psnr', 'psnrY', 'ssim', 'ssimY', 'niqe', 'hf'];
  const out = {} as QualityRow;
  for (const k of keys) {
    const vals = rows.map((r) => r[k]).filter((v) => Number.isFinite(v));
    out[k] = vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : NaN;
  }
  return out;
}
