/**
 * What one browser-mode client that never reads costs the host:
 *   node --import tsx bench/misbehaving-client.ts [--requests N] [--photos N] [--paced MS] [--rounds N]
 * (run `npm run build` first). Starts browser mode as a user does (a separate
 * process on a temporary data folder holding a synthetic catalog of --photos
 * rows, default 1,000), connects one WebSocket client that stops reading at
 * once, sends --requests (default 1,000) `library.listPhotos` requests of 1,000
 * rows each (all at once, or one every --paced MS milliseconds, which stays
 * within the per-client request limits so that only the unread answers
 * count), waits until the host and its workers are idle, disconnects and waits again. Samples the host process's
 * resident memory from /proc throughout (Linux only) and prints its baseline,
 * peak (VmHWM), the figures 5 s and 30 s after the client left, and whether the host told
 * the client and closed the connection; with --rounds N, N such clients one
 * after another (memory that a client leaves behind would add up). A benchmark, not a test: no
 * assertions; the last line is one JSON object.
 */
import fs from 'node:fs';
import WebSocket from 'ws';
import { requireBuild, startBrowserHost, tempDir } from '../devkit/services.js';
import { writeSyntheticCatalog } from '../devkit/synthetic-catalog.js';

const argv = process.argv.slice(2);
const value = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const requests = value('--requests', 1000);
const photos = value('--photos', 1000);
const pacedMs = value('--paced', 0);
const roundCount = value('--rounds', 1);

function memoryMb(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds used so far by `pid` and its descendants (the broker's library and engine workers). */
function cpuSeconds(pid: number): number {
  let ticks = 0;
  try {
    // Fields after the command name: state is the 1st, utime the 12th, stime the 13th.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    ticks = Number(fields[11]) + Number(fields[12]);
    for (const child of fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean)) ticks += cpuSeconds(Number(child)) * 100;
  } catch {
    // A process that exited meanwhile.
  }
  return ticks / 100;
}

async function main(): Promise<void> {
  requireBuild();
  const dataDir = tempDir('restora-bench-client-');
  await writeSyntheticCatalog(dataDir, photos, { thumbnails: false });
  const host = await startBrowserHost([], { RESTORA_HOME: dataDir });
  const pid = host.proc.pid!;
  try {
    // A well-behaved client first, so the baseline includes a warmed-up host.
    const warm = new WebSocket(`ws://${new URL(host.origin).host}/ws?token=${host.token}`, { origin: host.origin });
    await new Promise((r, j) => (warm.once('open', r), warm.once('error', j)));
    await new Promise<void>((resolve) => {
      warm.on('message', (d) => JSON.parse(d.toString()).t === 'res' && resolve());
      warm.send(JSON.stringify({ t: 'req', id: 1, method: 'library.listPhotos', params: { limit: 1000 } }));
    });
    warm.close();
    await sleep(1000);
    const baseline = memoryMb(pid).rss;

    const rounds: Array<{ closedByHost: { code: number; reason: string } | null; afterLeavingMb: number; after30sMb: number; sampledSeconds: number }> = [];
    for (let round = 0; round < roundCount; round++) {
      const ws = new WebSocket(`ws://${new URL(host.origin).host}/ws?token=${host.token}`, { origin: host.origin });
      await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
      // Never read: the socket is paused, so the kernel buffers fill and the host's queue is all that is left.
      const raw = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
      raw.pause();
      let closedByHost: { code: number; reason: string } | null = null;
      ws.on('close', (code, reason) => (closedByHost = { code, reason: reason.toString() }));
      const t0 = Date.now();
      for (let i = 0; i < requests; i++) {
        if (ws.readyState !== ws.OPEN) break;
        ws.send(JSON.stringify({ t: 'req', id: i + 10, method: 'library.listPhotos', params: { limit: 1000, offset: 0 } }));
        if (pacedMs) await sleep(pacedMs);
      }
      // Until the host has settled, at most 180 s: at least 15 s, then for 5 s its memory unchanged and it
      // and its workers idle (on a busy machine the library answers slowly, and memory alone looks steady early).
      let last = 0;
      let lastCpu = cpuSeconds(pid);
      let steadySince = Date.now();
      while (Date.now() - t0 < 180_000 && (Date.now() - t0 < 15_000 || Date.now() - steadySince < 5000)) {
        await sleep(500);
        const rss = memoryMb(pid).rss;
        const cpu = cpuSeconds(pid);
        if (Math.abs(rss - last) > 2 || cpu - lastCpu > 0.05) steadySince = Date.now();
        last = rss;
        lastCpu = cpu;
      }
      const duringSeconds = (Date.now() - t0) / 1000;
      // Reading again lets a close frame the host sent arrive.
      raw.resume();
      await sleep(1000);
      const told = closedByHost as { code: number; reason: string } | null;
      ws.terminate();
      await sleep(5000);
      const after = memoryMb(pid).rss;
      // An idle host gives memory back to the system when its garbage collector next shrinks the heap.
      await sleep(25_000);
      const later = memoryMb(pid).rss;

      rounds.push({ closedByHost: told, afterLeavingMb: Math.round(after), after30sMb: Math.round(later), sampledSeconds: Math.round(duringSeconds) });
    }
    const peak = memoryMb(pid).hwm;
    const { closedByHost: told, afterLeavingMb: after, after30sMb: later, sampledSeconds: duringSeconds } = rounds[0]!;
    const out = { requests, photos, pacedMs, baselineMb: Math.round(baseline), peakMb: Math.round(peak), afterLeavingMb: after, after30sMb: later, closedByHost: told, sampledSeconds: duringSeconds, ...(roundCount > 1 ? { rounds } : {}) };
    console.log(`host RSS before the client: ${out.baselineMb} MB`);
    console.log(`peak while ${requests} requests went unread: ${out.peakMb} MB`);
    console.log(`5 s after the client left: ${out.afterLeavingMb} MB; 30 s after: ${out.after30sMb} MB`);
    console.log(`host closed the connection: ${told ? `yes (${told.code}: ${told.reason || 'no reason given'})` : 'no'}`);
    for (const [i, r] of rounds.entries()) if (i > 0) console.log(`client ${i + 1}: ${r.afterLeavingMb} MB 5 s after it left, ${r.after30sMb} MB 30 s after`);
    console.log(JSON.stringify(out));
  } finally {
    await host.stop();
  }
}

await main();
