/**
 * For tests that need something the repository commits (a shipped model in
 * models/zoo, a fixture). Outside CI a missing one skips the test with the
 * reason (a checkout in the middle of re-exporting models). In CI ($CI set;
 * .ci/run sets it) a missing one is a broken checkout: the tests that need it
 * run and fail, and one more test, named for what is missing, fails with it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

const reported = new Set<string>();

/** The `skip` option of a test that needs `what`: false when it is there (and always in CI), else why the test is skipped. */
export function skipUnlessCommitted(what: string, present: boolean): string | false {
  if (present) return false;
  if (!process.env.CI) return `${what} is missing (committed to the repository; CI fails on this)`;
  if (!reported.has(what)) {
    reported.add(what);
    test(`${what} is in the checkout`, () => assert.fail(`${what} is missing: it is committed to the repository, so the checkout is broken`));
  }
  return false;
}
