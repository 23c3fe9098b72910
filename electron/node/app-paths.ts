/**
 * Locates the app's own files (bundles, renderer, shipped models) whether we
 * run from a checkout, from TypeScript sources under tsx, or packaged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | null = null;

/** The directory holding the app's package.json (the repo root, or the asar root when packaged). */
export function appRoot(): string {
  if (cachedRoot) return cachedRoot;
  if (process.env.RESTORA_APP_ROOT) return (cachedRoot = path.resolve(process.env.RESTORA_APP_ROOT));
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'restora') return (cachedRoot = dir);
      } catch {
        /* keep looking */
      }
    }
    dir = path.dirname(dir);
  }
  throw new Error('Cannot locate the Restora installation (package.json not found above the running file)');
}

export function distDir(): string {
  return path.join(appRoot(), 'dist');
}

export function workerEntry(service: 'library' | 'engine'): string {
  return path.join(distDir(), service, 'worker.js');
}

export function rendererDir(): string {
  return path.join(distDir(), 'renderer');
}

/**
 * Shipped models: `models/zoo` in a checkout; in a packaged app electron-builder
 * copies them to `resources/models` (RESTORA_MODELS_DIR is set by main).
 */
export function shippedModelsDir(): string {
  if (process.env.RESTORA_MODELS_DIR) return path.resolve(process.env.RESTORA_MODELS_DIR);
  return path.join(appRoot(), 'models', 'zoo');
}
