/**
 * Finds models: the shipped ones and those a user drops into <dataDir>/models.
 * Each lives in its own folder with a manifest.json. A broken or lying model
 * is listed with the reason and never used; the others still load.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { ModelManifest } from '../shared/manifest.js';
import { describeIssues } from '../shared/rpc.js';

export interface RegisteredModel {
  manifest: ModelManifest | null;
  id: string;
  dir: string;
  file: string;
  source: 'shipped' | 'user';
  ok: boolean;
  problem?: string;
}

const MAX_MODEL_BYTES = 2 * 1024 ** 3;

export function scanModels(dirs: Array<{ dir: string; source: 'shipped' | 'user' }>): RegisteredModel[] {
  const found: RegisteredModel[] = [];
  for (const { dir, source } of dirs) {
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const modelDir = path.join(dir, e.name);
      const manifestPath = path.join(modelDir, 'manifest.json');
      if (!fs.existsSync(manifestPath)) continue;
      found.push(readModel(modelDir, manifestPath, source, e.name));
    }
  }
  // A user model with the same id as a shipped one takes precedence only if it is ok.
  const byId = new Map<string, RegisteredModel>();
  for (const m of found) {
    const prev = byId.get(m.id);
    if (!prev || (m.source === 'user' && m.ok)) byId.set(m.id, m);
  }
  return [...byId.values()];
}

function readModel(dir: string, manifestPath: string, source: 'shipped' | 'user', fallbackId: string): RegisteredModel {
  const broken = (problem: string, id = fallbackId): RegisteredModel => ({ manifest: null, id, dir, file: '', source, ok: false, problem });
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (err) {
    return broken(`manifest.json is not valid JSON (${(err as Error).message})`);
  }
  const parsed = ModelManifest.safeParse(raw);
  if (!parsed.success) return broken(`manifest.json is invalid: ${describeIssues(parsed.error)}`);
  const manifest = parsed.data;
  const file = path.join(dir, manifest.file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return broken(`model file ${manifest.file} is missing`, manifest.id);
  }
  if (stat.size > MAX_MODEL_BYTES) return broken(`model file is larger than 2 GB`, manifest.id);
  return { manifest, id: manifest.id, dir, file, source, ok: true };
}

/** Verifies the file's hash against the manifest (done once, when a model is first loaded). */
export function verifyHash(model: RegisteredModel, bytes?: Buffer): string | null {
  if (!model.manifest) return model.problem ?? 'no manifest';
  const hash = createHash('sha256').update(bytes ?? fs.readFileSync(model.file)).digest('hex');
  return hash === model.manifest.sha256 ? null : `sha256 of ${model.manifest.file} does not match its manifest`;
}
