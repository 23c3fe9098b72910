/**
 * The app's settings in <data>/settings.json: read on every request (the CLI
 * and the app may share a data folder), written atomically. A damaged or
 * hand-edited file never stops the app: what is valid is kept, the rest
 * falls back to the defaults, and the problem is reported.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppSettings, AppSettingsPatch } from '../shared/contract/app-settings.js';
import { describeIssues } from '../shared/rpc.js';
import { writeFileAtomicSync } from '../node/atomic-write.js';

export class SettingsStore {
  constructor(readonly file: string) {}

  read(): { settings: AppSettings; problem?: string } {
    let raw: unknown = {};
    try {
      raw = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: AppSettings.parse({}) };
      return { settings: AppSettings.parse({}), problem: `The settings file could not be read (${(err as Error).message.slice(0, 200)}); the defaults are used.` };
    }
    const all = AppSettings.safeParse(raw);
    if (all.success) return { settings: all.data };
    // Keep each valid field, drop the rest.
    const kept: Record<string, unknown> = {};
    if (raw && typeof raw === 'object') {
      for (const [k, v] of Object.entries(raw)) {
        if (AppSettingsPatch.safeParse({ [k]: v }).success) kept[k] = v;
      }
    }
    return { settings: AppSettings.parse(kept), problem: `Some settings were not valid and the defaults are used for them: ${describeIssues(all.error)}` };
  }

  /** Applies `patch` (already validated) and stores the result. */
  write(patch: Partial<AppSettings>): AppSettings {
    const next = AppSettings.parse({ ...this.read().settings, ...patch });
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileAtomicSync(this.file, `${JSON.stringify(next, null, 2)}\n`);
    return next;
  }
}
