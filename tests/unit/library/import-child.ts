/**
 * Runs an import in its own process so a test can kill it mid-way (like the
 * broker does to a job that ignores cancel). Prints "done N" before each file.
 *   node --import tsx tests/unit/library/import-child.ts <dataDir> <folder>
 */
import { createLibrary } from '../../../electron/library/library.js';
import { importPaths } from '../../../electron/library/import-service.js';

const [home, folder] = process.argv.slice(2);
const lib = createLibrary(home!);
await importPaths(lib, [folder!], {
  jobId: 'job-child',
  signal: new AbortController().signal,
  throwIfCancelled() {},
  progress(u) {
    if (u.stage === 'import') process.stdout.write(`done ${u.data?.done ?? 0}\n`);
  },
  emit() {},
});
process.stdout.write('finished\n');
