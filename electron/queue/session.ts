/**
 * A submitter's session with the queue: send a new batch (after checking that
 * the workers there restore with the same models as this computer), or
 * reattach to one sent earlier and carry it to the end.
 */
import type { Broker } from '../broker/broker.js';
import { RestoraError } from '../shared/errors.js';
import type { JobProgress } from '../shared/jobs.js';
import { QUEUE_PROTOCOL } from '../shared/queue-job.js';
import { RestoreSettings, type RestoreSettings as Settings } from '../shared/recipe.js';
import { BatchStore, CLAIM_SECONDS, newBatchId, ownerId, thisHost, type BatchItem, type BatchMeta } from './batch.js';
import { connectQueue, type QueueConnection } from './connection.js';
import { describeDifference, modelSet, type ModelSet } from './models.js';
import { queueName } from './protocol.js';
import { describeQueue } from './queue-info.js';
import { liveWorkers } from './registry.js';
import { driveBatch, type ItemHooks } from './submitter.js';

export interface Reporting {
  log(line: string): void;
  onProgress?(p: JobProgress): void;
}

/** Refuses a queue whose live workers all restore with other models; warns when no worker is there yet. */
async function preflight(conn: QueueConnection, queue: string, models: ModelSet, log: (l: string) => void): Promise<void> {
  const workers = await liveWorkers(conn.client);
  if (workers.some((w) => w.queue === queue)) return;
  const other = workers[0];
  if (!other) {
    log(`No worker is connected to ${conn.address.display} yet: the photos wait in the queue until one starts (restora worker --queue URL).`);
    return;
  }
  if (other.protocol !== QUEUE_PROTOCOL) {
    throw new RestoraError('Conflict', `Refused: the workers on ${conn.address.display} run Restora ${other.version} (queue format ${other.protocol}), this computer format ${QUEUE_PROTOCOL}; update one side.`);
  }
  throw new RestoraError('Conflict', `Refused: the ${workers.length} worker(s) on ${conn.address.display} restore with other models than this computer (${describeDifference(models.models, other.models, 'here', `on ${other.name}`)}). Results must come from the same model versions: install the same models on both sides.`);
}

export async function submitBatch(o: Reporting & {
  url: string;
  kind: BatchMeta['kind'];
  items: BatchItem[];
  settings: Settings;
  broker: Broker;
  hooks: ItemHooks;
  version: string;
  onBatch?(id: string, display: string): void;
}): Promise<{ meta: BatchMeta; items: BatchItem[] }> {
  const settings = RestoreSettings.parse(o.settings);
  if (settings.adapter) throw new RestoraError('BadRequest', '--adapter cannot be used with --queue: personal adapters stay on this computer; restore with them locally');
  const conn = await connectQueue(o.url);
  try {
    const models = modelSet(await o.broker.invoke('engine.info', {}));
    const queue = queueName(models.fingerprint);
    await preflight(conn, queue, models, o.log);
    const meta: BatchMeta = {
      id: newBatchId(),
      kind: o.kind,
      queue,
      protocol: QUEUE_PROTOCOL,
      version: o.version,
      models: models.fingerprint,
      settings,
      host: thisHost(),
      dataDir: o.broker.dataDir,
      createdAt: Date.now(),
      total: o.items.length,
    };
    await describeQueue(conn.client, { queue, protocol: QUEUE_PROTOCOL, version: o.version, models: models.models });
    await new BatchStore(conn.client).save(meta, o.items);
    o.onBatch?.(meta.id, conn.address.display);
    const items = await driveBatch({ conn, meta, items: o.items, hooks: o.hooks, log: o.log, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
    return { meta, items };
  } finally {
    await conn.close();
  }
}

/** The batch as recorded on the server; with `hooks`, also carries it to the end from this computer. */
export async function reattach(o: Reporting & {
  url: string;
  batch: string;
  dataDir: string;
  /** Given the batch, the hooks that read its photos and store its results here; null to only look. */
  hooksFor(meta: BatchMeta, items: BatchItem[]): Promise<ItemHooks | null>;
}): Promise<{ meta: BatchMeta; items: BatchItem[]; followed: boolean; why?: string }> {
  const conn = await connectQueue(o.url);
  try {
    const store = new BatchStore(conn.client);
    const found = await store.load(o.batch);
    if (!found) throw new RestoraError('NotFound', `No batch ${o.batch} on the queue server at ${conn.address.display} (a wrong id, older than 30 days, or the server lost its data)`);
    const { meta, items } = found;
    if (items.every((it) => it.state === 'done' || it.state === 'failed')) return { meta, items, followed: false };
    if (meta.host !== thisHost()) return { meta, items, followed: false, why: `it was sent from ${meta.host}, where its results go: run this there` };
    if (meta.kind === 'library' && meta.dataDir !== o.dataDir) return { meta, items, followed: false, why: `its results go to the library in ${meta.dataDir}: run this with RESTORA_HOME set to it` };
    const hooks = await o.hooksFor(meta, items);
    if (!hooks) return { meta, items, followed: false };
    // A submitter that was killed holds its claim a few seconds more; one still running keeps it.
    for (let waited = 0; !(await store.claim(meta.id, ownerId(), CLAIM_SECONDS)); waited++) {
      if (waited === 0) o.log(`Batch ${meta.id} is held by its submitter (still running, or stopped moments ago); waiting up to ${CLAIM_SECONDS} s for it to let go`);
      if (waited > CLAIM_SECONDS) return { meta, items, followed: false, why: 'its submitter is still following it' };
      await new Promise((r) => setTimeout(r, 1000));
    }
    // What the previous submitter did last is what counts.
    const latest = (await store.load(meta.id))?.items ?? items;
    o.log(`Reattached to batch ${meta.id} on ${conn.address.display}`);
    return { meta, items: await driveBatch({ conn, meta, items: latest, hooks, log: o.log, ...(o.onProgress ? { onProgress: o.onProgress } : {}) }), followed: true };
  } finally {
    await conn.close();
  }
}
