/**
 * Browser mode as a separate process: token, host and origin checks, the
 * contract over WebSocket, hostile messages, the media route, a busy port.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import WebSocket from 'ws';
import { startBrowserHost } from '../../devkit/services.js';
import { distDir } from '../../electron/node/app-paths.js';

let host: Awaited<ReturnType<typeof startBrowserHost>>;
before(async () => {
  host = await startBrowserHost();
});
after(() => host.stop());

function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${host.origin}${pathAndQuery}`, { headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

function socket(opts: { token?: string | null; origin?: string } = {}): Promise<WebSocket> {
  const token = opts.token === undefined ? host.token : opts.token;
  const url = `ws://${new URL(host.origin).host}/ws${token ? `?token=${token}` : ''}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin: opts.origin ?? host.origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function rpc(ws: WebSocket, msg: unknown): Promise<any> {
  return new Promise((resolve) => {
    const onMsg = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString());
      if (m.t === 'res') {
        ws.off('message', onMsg);
        resolve(m);
      }
    };
    ws.on('message', onMsg);
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  });
}

test('listens on 127.0.0.1 only and prints a tokenised URL', () => {
  assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
});

test('pages, scripts and media need the session token', async () => {
  assert.equal((await get('/')).status, 401);
  assert.equal((await get('/app.js')).status, 401);
  assert.equal((await get('/?token=wrong')).status, 401);
  assert.equal((await get('/media/photo/1/thumb')).status, 401);
  const ok = await get(`/?token=${host.token}`);
  assert.equal(ok.status, 200);
  assert.match(ok.body, /<div id="root">/);
  assert.match(String(ok.headers['content-security-policy']), /script-src 'self'/);
  assert.doesNotMatch(String(ok.headers['content-security-policy']), /unsafe-inline|unsafe-eval/);
  const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
  assert.match(String(ok.headers['set-cookie']), /HttpOnly/);
  assert.match(String(ok.headers['set-cookie']), /SameSite=Strict/);
  assert.equal((await get('/app.js', { cookie })).status, 200);
});

test('a foreign Host header is refused (DNS rebinding)', async () => {
  const r = await get(`/?token=${host.token}`, { host: 'evil.example:80' });
  assert.equal(r.status, 403);
});

test('the media route only takes catalog ids', async () => {
  const t = `token=${host.token}`;
  assert.equal((await get(`/media/photo/999999/thumb?${t}`)).status, 404);
  assert.equal((await get(`/media/photo/abc/thumb?${t}`)).status, 400);
  assert.equal((await get(`/media/..%2F..%2Fetc%2Fpasswd?${t}`)).status, 400);
  assert.equal((await get(`/media/photo/1/original-path?${t}`)).status, 400);
  assert.equal((await get(`/../../etc/passwd?${t}`)).status, 404);
});

test('WebSocket without the token or from another origin is refused', async () => {
  await assert.rejects(socket({ token: null }), /401/);
  await assert.rejects(socket({ token: 'x'.repeat(32) }), /401/);
  await assert.rejects(socket({ origin: 'http://evil.example' }), /401/);
});

test('the contract round-trips over WebSocket and hostile messages get typed errors', async () => {
  const ws = await socket();
  const info = await rpc(ws, { t: 'req', id: 1, method: 'app.info', params: {} });
  assert.equal(info.ok, true);
  assert.equal(info.result.mode, 'browser');
  assert.equal((await rpc(ws, 'not json')).error.code, 'BadRequest');
  assert.equal((await rpc(ws, { t: 'req', id: 2, method: 'app.explode', params: {} })).error.code, 'UnknownMethod');
  assert.equal((await rpc(ws, { t: 'req', id: 3, method: 'engine.restoreFile', params: { input: '/etc/passwd', output: '/tmp/x.png', settings: {} } })).error.code, 'UnknownMethod');
  assert.equal((await rpc(ws, { t: 'req', id: 4, method: 'engine.calibrate', params: { seconds: 1e9 } })).error.code, 'BadRequest');
  assert.equal((await rpc(ws, { t: 'req', id: 5, method: 'jobs.get', params: { jobId: 'job-1', extra: true } })).error.code, 'BadRequest');
  assert.equal((await rpc(ws, { t: 'req', id: 6, method: 'jobs.list', params: {}, job: 'job-forged' })).error.code, 'BadRequest');
  ws.close();
});

test('an oversized message closes that socket only; the host keeps serving', async () => {
  const ws = await socket();
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  ws.send(JSON.stringify({ t: 'req', id: 1, method: 'app.info', params: { pad: 'x'.repeat(2 * 1024 * 1024) } }));
  assert.equal(await closed, 1009);
  const ws2 = await socket();
  assert.equal((await rpc(ws2, { t: 'req', id: 9, method: 'app.info', params: {} })).ok, true);
  ws2.close();
});

test('events reach connected clients (job progress and state)', async () => {
  const ws = await socket();
  const seen: string[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    if (m.t === 'evt') seen.push(`${m.name}:${m.payload.state ?? ''}`);
  });
  const started = await rpc(ws, { t: 'req', id: 1, method: 'engine.calibrate', params: { seconds: 0.3, size: 64 } });
  assert.match(started.result.jobId, /^job-/);
  const deadline = Date.now() + 15_000;
  while (!seen.includes('job.state:done') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.ok(seen.includes('job.state:running'));
  assert.ok(seen.includes('job.progress:'));
  assert.ok(seen.includes('job.state:done'));
  ws.close();
});

test('a port already in use gives a clear message and exit code 1', () => {
  const port = new URL(host.origin).port;
  const r = spawnSync(process.execPath, [path.join(distDir(), 'host', 'browser-main.js'), '--no-open', '--port', port], {
    env: { ...process.env, RESTORA_HOME: host.dataDir },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`Port ${port} on 127.0.0.1 is already in use`));
});

test('the folder browser works over the token-checked socket only, and checks what it is given', async () => {
  await assert.rejects(socket({ token: null }), /HTTP 40[13]/);
  const ws = await socket();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-browse-'));
  try {
    fs.mkdirSync(path.join(dir, 'Scans 1950'));
    fs.mkdirSync(path.join(dir, '.hidden'));
    fs.writeFileSync(path.join(dir, 'a.jpg'), 'x');
    const listing = await rpc(ws, { t: 'req', id: 1, method: 'files.browse', params: { path: dir } });
    assert.equal(listing.ok, true);
    assert.deepEqual([listing.result.path, listing.result.folders, listing.result.images], [dir, ['Scans 1950'], 1]);
    assert.equal(listing.result.parent, path.dirname(dir));
    const home = await rpc(ws, { t: 'req', id: 2, method: 'files.browse', params: {} });
    assert.ok(home.result.places.some((p: { label: string }) => p.label === 'Home'));
    const gone = await rpc(ws, { t: 'req', id: 3, method: 'files.browse', params: { path: path.join(dir, 'gone') } });
    assert.deepEqual([gone.error.code, /gone does not exist/.test(gone.error.message)], ['NotFound', true]);
    const file = await rpc(ws, { t: 'req', id: 4, method: 'files.browse', params: { path: path.join(dir, 'a.jpg') } });
    assert.match(file.error.message, /is a file, not a folder/);
    assert.equal((await rpc(ws, { t: 'req', id: 5, method: 'files.browse', params: { path: 'x'.repeat(5000) } })).error.code, 'BadRequest');
    assert.equal((await rpc(ws, { t: 'req', id: 6, method: 'files.browse', params: { path: dir, write: true } })).error.code, 'BadRequest');
  } finally {
    ws.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
