/**
 * Image-quality metrics for the benchmarks and the tests: PSNR (the engine's
 * own) and SSIM (RGB and BT.601 Y), NIQE (no reference), high-frequency
 * energy. All take HWC float RGB in 0..1.
 */
export { psnr } from '../../electron/engine/metrics/psnr.js';
export { psnrRgb, psnrY, ssimPlane, ssimRgb, ssimY, lumaY } from './fidelity.js';
export { niqe, niqeFeatures, grey255, selectSharpRows, type NiqeModel } from './niqe.js';
export { hfEnergy } from './hf-energy.js';
export { qualityRow, meanRows, PSNR_CAP, type QualityRow } from './report.js';
export { pixelSpread, solutionEntropy255 } from './spread.js';
export { preferenceGoals, type Cell, type Goal, type Variant, type VariantMeans } from './preference-goals.js';
