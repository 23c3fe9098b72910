/**
 * Image-quality metrics for benchmarks and fine-tuning validation: PSNR and
 * SSIM (RGB and BT.601 Y), NIQE (no reference), high-frequency energy. All take
 * HWC float RGB in 0..1.
 */
export { psnr, psnrRgb, psnrY, ssimPlane, ssimRgb, ssimY, lumaY } from './fidelity.js';
export { niqe, niqeFeatures, grey255, type NiqeModel } from './niqe.js';
export { hfEnergy } from './hf-energy.js';
export { qualityRow, meanRows, PSNR_CAP, type QualityRow } from './report.js';
