/**
 * Browser mode's limits per client, on the real host and broker with small
 * limits: a client that floods requests, or stops reading its answers, is told
 * why (close 1008 with the reason) and disconnected; a client that behaves
 * gets every answer, bursts included. (The memory a misbehaving client costs
 * is measured by bench/misbehaving-client.ts.)
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startServices } from '../../devkit/services.js';
import { startHost, type RunningHost } from '../../electron/host/server.js';
import { rendererDir } from '../../electron/node/app-paths.js';
import { writeSyntheticCatalog } from '../../devkit/synthetic-catalog.js';

let svc: Awaited<ReturnType<typeof startServices>>;
let host: RunningHost;
const token = 'test-token-for-client-limits-0123456789';
const limits = { inFlight: 4, waiting: 8, waitingBytes: 64 * 1024, queuedBytes: 512 * 1024, closeGraceMs: 500 };

before(async () => {
  svc = await startServices();
  await writeSyntheticCatalog(svc.dataDir, 400, { thumbnails: false });
  host = await startHost({ broker: svc.broker, token, rendererDir: rendererDir(), port: 0, clientLimits: limits });
});
after(async () => {
  await host.close();
  await svc.stop();
});

function connect(): Promise<WebSocket> {
  const origin = `http://127.0.0.1:${host.port}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${token}`, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const closed = (ws: WebSocket) => new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
const request = (id: number, params: object = {}) => JSON.stringify({ t: 'req', id, method: 'library.listPhotos', params: { limit: 1000, ...params } });

test('a client that behaves gets every answer, a burst within the limits included', async () => {
  const ws = await connect();
  const answers = new Map<number, boolean>();
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    if (m.t === 'res') answers.set(m.id, m.ok);
  });
  for (let i = 1; i <= limits.inFlight + limits.waiting; i++) ws.send(request(i, { limit: 5 }));
  const deadline = Date.now() + 20_000;
  while (answers.size < limits.inFlight + limits.waiting && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(answers.size, limits.inFlight + limits.waiting);
  assert.ok([...answers.values()].every(Boolean));
  assert.equal(ws.readyState, ws.OPEN);
  ws.close();
});

test('a client that floods requests is told why and disconnected', async () => {
  const ws = await connect();
  const gone = closed(ws);
  for (let i = 1; i <= 200; i++) ws.send(request(i, { limit: 5 }));
  const { code, reason } = await gone;
  assert.equal(code, 1008);
  assert.equal(reason, `Disconnected: more than ${limits.inFlight + limits.waiting} requests at once`);
});

test('a client that stops reading is let go once its unread answers pass the limit', async () => {
  const ws = await connect();
  const raw = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  raw.pause();
  const gone = closed(ws);
  // Each answer is ~150 kB, asked for one at a time (within the request limits): the kernel's
  // buffers fill, then what the host queues for this client passes 512 kB.
  for (let i = 1; i <= 80 && ws.readyState === ws.OPEN; i++) {
    ws.send(request(i));
    await new Promise((r) => setTimeout(r, 40));
  }
  await new Promise((r) => setTimeout(r, 1000));
  raw.resume();
  const { code, reason } = await gone;
  // Told (1008 with the reason) when the close frame got through, or cut off (1006) after the grace period.
  assert.ok(code === 1008 || code === 1006, `closed with ${code}`);
  if (code === 1008) assert.match(reason, /answers went unread/);
  // The host is still fine for others.
  const other = await connect();
  const answer = new Promise<boolean>((resolve) => other.once('message', (d) => resolve(JSON.parse(d.toString()).ok)));
  other.send(request(1, { limit: 1 }));
  assert.equal(await answer, true);
  other.close();
});
