/**
 * The lint's layer table and house rules bite: an import across a forbidden
 * layer boundary, a native module where none may load, an import cycle (type
 * imports included), a misnamed or undocumented file are each reported, and
 * the imports the layers are meant to make are not. (`npm run lint` checks the
 * real tree; this checks that a mistake in eslint.config.js cannot make it
 * quietly allow everything.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';
import { appRoot } from '../../../electron/node/app-paths.js';

const root = appRoot();
const eslint = new ESLint({ cwd: root });
const DOC = '/** A module. */\n';

/** The rules that fire on `code` as if it were the file at `file`. */
async function rulesHit(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(DOC + code, { filePath: path.join(root, file) });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

const LAYER = 'import-x/no-restricted-paths';

test('forbidden layer crossings are reported', async () => {
  const cases: Array<[string, string]> = [
    ['electron/engine/x.ts', "import { createLibrary } from '../library/library.js';"],
    ['electron/library/x.ts', "import { decodeImage } from '../engine/pipeline/image-io.js';"],
    ['electron/broker/x.ts', "import { engineHandlers } from '../engine/handlers.js';"],
    ['electron/main/x.ts', "import { engineHandlers } from '../engine/handlers.js';"],
    ['electron/engine/x.ts', "import { App } from '../../renderer/App.js';"],
    ['electron/shared/x.ts', "import { appRoot } from '../node/app-paths.js';"],
    ['electron/cli/x.ts', "import { startHost } from '../host/server.js';"],
    ['renderer/x.ts', "import { Broker } from '../electron/broker/broker.js';"],
    ['bench/x.ts', "import { readTem } from '../tests/unit/faces/fixtures.js';"],
    ['tests/unit/x.test.ts', "import { photoDir } from '../../bench/library-bench.js';"],
    ['devkit/x.ts', "import { readTem } from '../tests/unit/faces/fixtures.js';"],
  ];
  for (const [file, code] of cases) assert.ok((await rulesHit(file, code)).includes(LAYER), `${file}: ${code}`);
});

test('native modules stay out of main, the broker and shared helpers; the renderer has no Node', async () => {
  assert.ok((await rulesHit('electron/main/x.ts', "import sharp from 'sharp';")).includes('no-restricted-imports'));
  assert.ok((await rulesHit('electron/broker/x.ts', "import Database from 'better-sqlite3';")).includes('no-restricted-imports'));
  assert.ok((await rulesHit('electron/shared/x.ts', "import fs from 'node:fs';")).includes('no-restricted-imports'));
  assert.ok((await rulesHit('renderer/x.ts', "import fs from 'node:fs';")).includes('import-x/no-nodejs-modules'));
});

test('the imports the layers are meant to make pass', async () => {
  const cases: Array<[string, string]> = [
    ['electron/engine/x.ts', "import { RestoraError } from '../shared/errors.js';\nimport { dataPaths } from '../node/data-dir.js';\nexport { RestoraError, dataPaths };"],
    ['electron/cli/x.ts', "import { nodeSpawner } from '../host/node-worker.js';\nexport { nodeSpawner };"],
    ['renderer/x.ts', "import type { Recipe } from '../electron/shared/recipe.js';\nexport type { Recipe };"],
    ['bench/x.ts', "import { startServices } from '../devkit/services.js';\nexport { startServices };"],
    ['tests/unit/x.test.ts', "import { startServices } from '../../devkit/services.js';\nexport { startServices };"],
  ];
  for (const [file, code] of cases) assert.deepEqual(await rulesHit(file, code), [], `${file}: ${code}`);
});

test('an import cycle is reported, also when one side only imports types', async () => {
  // restore-file.ts imports the stages, which import types.ts; types.ts importing back closes the loop.
  const hit = await rulesHit('electron/engine/types.ts', "import type { restoreFile } from './restore-file.js';\nexport type R = typeof restoreFile;");
  assert.ok(hit.includes('restora/no-import-cycle'), hit.join());
});

test('file names and opening doc comments follow the house style', async () => {
  assert.ok((await rulesHit('electron/engine/tilePlan.ts', 'export const x = 1;')).includes('restora/file-name'));
  const [undocumented] = await eslint.lintText('export const x = 1;\n', { filePath: path.join(root, 'electron/engine/x.ts') });
  assert.ok(undocumented!.messages.some((m) => m.ruleId === 'restora/opening-doc'));
});
