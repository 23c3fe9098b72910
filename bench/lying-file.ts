/**
 * How fast a file that lies about its size is refused:
 *   node --import tsx bench/lying-file.ts [--cap SECONDS]
 * (run `npm run build` first). Writes a JPEG of about 700 bytes whose header
 * claims 16000×12000 pixels, then through the real worker processes times
 * (1) importing it into a fresh library and (2) restoring it as a plain file
 * with the engine, each stopped after --cap seconds (default 60), and samples
 * the engine process's peak memory. A benchmark, not a test: no assertions;
 * the last line is one JSON object.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startServices } from '../devkit/services.js';
import { lyingJpeg } from '../devkit/images.js';

const argv = process.argv.slice(2);
const capIndex = argv.indexOf('--cap');
const capSeconds = capIndex >= 0 ? Number(argv[capIndex + 1]) : 60;

function rssMb(pid: number | null): number {
  if (!pid) return 0;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function timed<T>(what: () => Promise<T>, pid: () => number | null): Promise<{ seconds: number; outcome: string; peakMb: number }> {
  const t0 = performance.now();
  let peak = rssMb(pid());
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid()))), 50);
  let timer: NodeJS.Timeout | undefined;
  try {
    const cap = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`still running after ${capSeconds} s`), capSeconds * 1000)));
    const outcome = await Promise.race([
      what().then(
        (r) => `accepted: ${JSON.stringify(r).slice(0, 160)}`,
        (e: Error & { code?: string }) => `refused (${e.code}): ${e.message}`,
      ),
      cap,
    ]);
    return { seconds: (performance.now() - t0) / 1000, outcome, peakMb: Math.round(Math.max(peak, rssMb(pid()))) };
  } finally {
    clearInterval(sampler);
    clearTimeout(timer);
  }
}

const svc = await startServices();
try {
  const dir = fs.mkdtempSync(path.join(svc.dataDir, 'lie-'));
  const file = path.join(dir, 'liar.jpg');
  fs.writeFileSync(file, await lyingJpeg(16000, 12000));
  const bytes = fs.statSync(file).size;
  const library = () => svc.broker.workerPid('library');
  const engine = () => svc.broker.workerPid('engine');
  const imp = await timed(async () => {
    const r = await svc.broker.runJob('library.import', { paths: [file] });
    if (r.skipped.length) throw Object.assign(new Error(r.skipped[0]!.reason), { code: 'skipped' });
    return { imported: r.imported, damaged: r.damaged };
  }, library);
  const res = await timed(() => svc.broker.runJob('engine.restoreFile', { input: file, output: path.join(dir, 'out.png'), settings: {} }), engine);
  console.log(`a ${bytes}-byte JPEG claiming 16000×12000 pixels`);
  console.log(`import:  ${imp.seconds.toFixed(3)} s, library peak ${imp.peakMb} MB — ${imp.outcome}`);
  console.log(`restore: ${res.seconds.toFixed(3)} s, engine peak ${res.peakMb} MB — ${res.outcome}`);
  console.log(JSON.stringify({ bytes, claimed: [16000, 12000], import: imp, restore: res }));
} finally {
  await svc.stop();
}
process.exit(0);
