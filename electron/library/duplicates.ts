/**
 * Near-duplicate grouping by perceptual hash. Multi-index hashing: the 64 bits
 * are cut into DUPLICATE_DISTANCE + 1 chunks, so by the pigeonhole principle
 * two hashes within the distance agree exactly on at least one chunk; only
 * photos sharing a chunk value are compared. This keeps grouping near-linear
 * on 100,000 photos instead of all pairs.
 */
import { hamming } from './hashes.js';

/** Largest pHash distance (bits of 64) at which two photos count as look-alikes. */
export const DUPLICATE_DISTANCE = 6;
const CHUNKS = DUPLICATE_DISTANCE + 1;
const BOUNDS: Array<[number, number]> = (() => {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i < CHUNKS; i++) {
    const len = Math.floor(64 / CHUNKS) + (i < 64 % CHUNKS ? 1 : 0);
    out.push([start, len]);
    start += len;
  }
  return out;
})();

function chunkKeys(hash: string): string[] {
  const bits = BigInt('0x' + hash).toString(2).padStart(64, '0');
  return BOUNDS.map(([s, l], i) => `${i}:${bits.slice(s, s + l)}`);
}

export class PhashIndex {
  private readonly buckets = new Map<string, number[]>();
  private readonly hashes = new Map<number, string>();

  add(id: number, hash: string): void {
    if (this.hashes.has(id)) this.remove(id);
    this.hashes.set(id, hash);
    for (const key of chunkKeys(hash)) {
      const list = this.buckets.get(key);
      if (list) list.push(id);
      else this.buckets.set(key, [id]);
    }
  }

  remove(id: number): void {
    const hash = this.hashes.get(id);
    if (hash === undefined) return;
    this.hashes.delete(id);
    for (const key of chunkKeys(hash)) {
      const list = this.buckets.get(key);
      if (!list) continue;
      const i = list.indexOf(id);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.buckets.delete(key);
    }
  }

  /** Ids (other than `exceptId`) whose hash is within DUPLICATE_DISTANCE of `hash`. */
  near(hash: string, exceptId?: number): number[] {
    const seen = new Set<number>();
    const out: number[] = [];
    for (const key of chunkKeys(hash)) {
      for (const id of this.buckets.get(key) ?? []) {
        if (id === exceptId || seen.has(id)) continue;
        seen.add(id);
        if (hamming(hash, this.hashes.get(id)!) <= DUPLICATE_DISTANCE) out.push(id);
      }
    }
    return out;
  }

  get size(): number {
    return this.hashes.size;
  }
}

/** Groups photos into connected look-alike components. Returns id → group (smallest id) for groups of 2 or more. */
export function assignGroups(rows: ReadonlyArray<{ id: number; phash: string }>): Map<number, number> {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let c = x;
    while (c !== r) {
      const next = parent.get(c)!;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  const index = new PhashIndex();
  for (const { id, phash } of rows) {
    parent.set(id, id);
    for (const other of index.near(phash)) {
      const a = find(id);
      const b = find(other);
      if (a !== b) parent.set(Math.max(a, b), Math.min(a, b));
    }
    index.add(id, phash);
  }
  const members = new Map<number, number[]>();
  for (const { id } of rows) {
    const root = find(id);
    const list = members.get(root);
    if (list) list.push(id);
    else members.set(root, [id]);
  }
  const out = new Map<number, number>();
  for (const list of members.values()) {
    // Unions always keep the smaller root, so the root is the group's smallest id.
    if (list.length < 2) continue;
    const group = find(list[0]!);
    for (const id of list) out.set(id, group);
  }
  return out;
}
