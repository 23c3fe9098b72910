#!/usr/bin/env node
// The `restora` command. Builds dist/ on first use in a checkout, then runs the CLI bundle.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli', 'cli.js');
if (!fs.existsSync(cli) && fs.existsSync(path.join(root, 'build', 'build.mjs'))) {
  execFileSync(process.execPath, [path.join(root, 'build', 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
}
await import(pathToFileURL(cli).href);
