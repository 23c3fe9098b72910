/** The queue URL: what is accepted, what is refused, and that a password is never shown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQueueUrl, redact } from '../../../electron/queue/queue-url.js';
import { describeConnectError } from '../../../electron/queue/connection.js';
import { RestoraError } from '../../../electron/shared/errors.js';

test('a redis URL gives host, port, database and password, and a display form without credentials', () => {
  const a = parseQueueUrl('redis://:s3cr%40t@scanner.local:6380/2', {});
  assert.deepEqual({ host: a.host, port: a.port, db: a.db, password: a.password, tls: a.tls }, { host: 'scanner.local', port: 6380, db: 2, password: 's3cr@t', tls: false });
  assert.equal(a.display, 'redis://scanner.local:6380/2');
  const b = parseQueueUrl('rediss://10.0.0.5', { RESTORA_QUEUE_PASSWORD: 'from-env' });
  assert.equal(b.port, 6379);
  assert.equal(b.tls, true);
  assert.equal(b.password, 'from-env');
  assert.equal(b.display, 'rediss://10.0.0.5');
});

test('bad URLs are refused without echoing them', () => {
  for (const bad of ['http://:pw@host:6379', 'redis-host:6379', 'redis://:pw@host/99', 'not a url with pw']) {
    assert.throws(() => parseQueueUrl(bad, {}), (err: unknown) => err instanceof RestoraError && err.code === 'BadRequest' && !/pw/.test(err.message));
  }
});

test('connection errors name the queue and the remedy, never the password', () => {
  const a = parseQueueUrl('redis://:hunter2@127.0.0.1:7000', {});
  const cases: Array<[unknown, RegExp]> = [
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7000'), { code: 'ECONNREFUSED' }), /Cannot reach the queue server at redis:\/\/127\.0\.0\.1:7000 \(connection refused/],
    [new Error('WRONGPASS invalid username-password pair or user is disabled.'), /refused the password/],
    [new Error('NOAUTH Authentication required.'), /needs a password/],
    [new Error('getaddrinfo ENOTFOUND nohost'), /no such host/],
    // A server restarted mid-batch resets the open connection: that is a lost connection, said as such.
    [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), /^Lost the connection to the queue server at redis:\/\/127\.0\.0\.1:7000 \(the server reset the connection\)$/],
    [new Error('write EPIPE'), /^Lost the connection to the queue server at redis:\/\/127\.0\.0\.1:7000 \(the server closed/],
  ];
  for (const [err, re] of cases) {
    const e = describeConnectError(err, a);
    assert.match(e.message, re);
    assert.doesNotMatch(e.message, /hunter2/);
  }
  assert.equal(redact('failed for redis://user:hunter2@host:1'), 'failed for redis://host:1');
});
