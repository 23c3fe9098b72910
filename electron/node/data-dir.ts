/**
 * Where Restora keeps everything it writes: catalog, thumbnails, caches,
 * versions, adapters, settings, logs. One directory: RESTORA_HOME when set,
 * otherwise the platform's user-data folder (the same one Electron's
 * app.getPath('userData') gives for an app named Restora).
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'Restora');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Restora');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'Restora');
}

export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.RESTORA_HOME?.trim();
  return path.resolve(fromEnv ? fromEnv : defaultDataDir(env));
}

/** The fixed layout inside the data directory. */
export function dataPaths(dataDir: string) {
  return {
    root: dataDir,
    catalog: path.join(dataDir, 'catalog.sqlite'),
    thumbnails: path.join(dataDir, 'thumbnails'),
    versions: path.join(dataDir, 'versions'),
    cache: path.join(dataDir, 'cache'),
    adapters: path.join(dataDir, 'adapters'),
    /** The damage masks found and edited in the Restore panel, one folder per photo. */
    masks: path.join(dataDir, 'masks'),
    userModels: path.join(dataDir, 'models'),
    settings: path.join(dataDir, 'settings.json'),
    logs: path.join(dataDir, 'logs'),
    tmp: path.join(dataDir, 'tmp'),
  };
}
export type DataPaths = ReturnType<typeof dataPaths>;

export function ensureDataDir(dataDir: string): DataPaths {
  const p = dataPaths(dataDir);
  for (const dir of [p.root, p.thumbnails, p.versions, p.cache, p.adapters, p.userModels, p.logs, p.tmp]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  return p;
}
