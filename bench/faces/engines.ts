/**
 * Engines for comparing face passes in one run (bench:faces:restore, bench/face-sheet.ts): the real broker
 * and engine worker, each on its own data folder, with one of
 *   photo     no face pass (the restore is told there are no faces), the shipped models;
 *   restorer  the faces restored by the photo's restorer: the shipped models less any face restorer;
 *   face      the shipped models with the face restorer, or a candidate installed as the user's (--models DIR).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Broker } from '../../electron/broker/broker.js';
import { nodeSpawner } from '../../electron/host/node-worker.js';

export type Arm = 'photo' | 'restorer' | 'face';
export const ARMS: readonly Arm[] = ['photo', 'restorer', 'face'];
export const ZOO = path.resolve(import.meta.dirname, '..', '..', 'models', 'zoo');

/** A copy of the zoo without face restorers: the faces go to the photo's restorer, as before there was one. */
function zooWithoutFaceModels(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-zoo-nofaces-'));
  for (const id of fs.readdirSync(ZOO)) {
    const man = path.join(ZOO, id, 'manifest.json');
    if (fs.existsSync(man) && (JSON.parse(fs.readFileSync(man, 'utf8')) as { task?: string }).task === 'face-restorer') continue;
    fs.cpSync(path.join(ZOO, id), path.join(dir, id), { recursive: true });
  }
  return dir;
}

/** Settings that make a restore this arm's. */
export const armSettings = (arm: Arm): Record<string, unknown> => (arm === 'photo' ? { faces: [] } : {});

export async function armEngine(arm: Arm, candidates = ''): Promise<{ broker: Broker; models: string; cleanup: () => void }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `restora-facebench-${arm}-`));
  const zoo = arm === 'face' ? ZOO : zooWithoutFaceModels();
  if (arm === 'face' && candidates) for (const id of fs.readdirSync(candidates)) fs.cpSync(path.join(candidates, id), path.join(dataDir, 'models', id), { recursive: true });
  // the worker reads the shipped models' folder from the environment it starts with
  const saved = process.env.RESTORA_MODELS_DIR;
  process.env.RESTORA_MODELS_DIR = zoo;
  const broker = new Broker({ spawn: nodeSpawner({ echoStderr: !!process.env.RESTORA_DEBUG }), dataDir, mode: 'cli', version: 'bench' });
  try {
    await broker.start();
  } finally {
    if (saved === undefined) delete process.env.RESTORA_MODELS_DIR;
    else process.env.RESTORA_MODELS_DIR = saved;
  }
  const info = await broker.invoke('engine.info', {});
  const models = info.models.filter((m) => m.ok).map((m) => `${m.id}@${m.version}`).join(', ');
  return {
    broker,
    models,
    cleanup: () => {
      broker.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (zoo !== ZOO) fs.rmSync(zoo, { recursive: true, force: true });
    },
  };
}
