/**
 * Near-duplicate grouping by perceptual hash. Multi-index hashing: the 64 bits
 * are cut into DUPLICATE_DISTANCE + 1 chunks, so by the pigeonhole principle
 * two hashes within the distance agree exactly on at least one chunk; only
 * photos sharing a chunk value are compared. This keeps grouping near-linear
 * on 100,000 photos instead of all pairs.
 */

/**
 * Largest pHash distance (bits of 64) at which two photos count as look-alikes.
 * 8 rather than the classic 6: a copy faded unevenly, or rescanned with a
 * slightly different crop, lands at 7-8 bits, while unrelated photos (96 real
 * old photographs, 4,560 pairs) are 16 bits or more apart.
 */
export const DUPLICATE_DISTANCE = 8;
const CHUNKS = DUPLICATE_DISTANCE + 1;
/** [first bit (0 = most significant), length] of each chunk. */
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

/** A 16-hex-digit hash as its high and low 32 bits. */
type Bits = readonly [number, number];

function bitsOf(hash: string): Bits {
  return [parseInt(hash.slice(0, 8), 16) >>> 0, parseInt(hash.slice(8, 16), 16) >>> 0];
}

function popcount32(n: number): number {
  n = n - ((n >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function distance(a: Bits, b: Bits): number {
  return popcount32((a[0] ^ b[0]) >>> 0) + popcount32((a[1] ^ b[1]) >>> 0);
}

/** Bits [start, start + len) of the 64, as a number (len ≤ 32). */
function field([hi, lo]: Bits, start: number, len: number): number {
  let v = 0;
  for (let b = start; b < start + len; b++) {
    const bit = b < 32 ? (hi >>> (31 - b)) & 1 : (lo >>> (63 - b)) & 1;
    v = v * 2 + bit;
  }
  return v;
}

/** One number per chunk: the chunk's index in the high bits, its value below. */
function chunkKeys(bits: Bits): number[] {
  return BOUNDS.map(([s, l], i) => i * 2 ** 16 + field(bits, s, l));
}

export class PhashIndex {
  private readonly buckets = new Map<number, number[]>();
  private readonly hashes = new Map<number, Bits>();

  add(id: number, hash: string): void {
    if (this.hashes.has(id)) this.remove(id);
    const bits = bitsOf(hash);
    this.hashes.set(id, bits);
    for (const key of chunkKeys(bits)) {
      const list = this.buckets.get(key);
      if (list) list.push(id);
      else this.buckets.set(key, [id]);
    }
  }

  remove(id: number): void {
    const bits = this.hashes.get(id);
    if (bits === undefined) return;
    this.hashes.delete(id);
    for (const key of chunkKeys(bits)) {
      const list = this.buckets.get(key);
      if (!list) continue;
      const i = list.indexOf(id);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.buckets.delete(key);
    }
  }

  /** Ids (other than `exceptId`) whose hash is within DUPLICATE_DISTANCE of `hash`. */
  near(hash: string, exceptId?: number): number[] {
    const bits = bitsOf(hash);
    const seen = new Set<number>();
    const out: number[] = [];
    for (const key of chunkKeys(bits)) {
      for (const id of this.buckets.get(key) ?? []) {
        if (id === exceptId || seen.has(id)) continue;
        seen.add(id);
        if (distance(bits, this.hashes.get(id)!) <= DUPLICATE_DISTANCE) out.push(id);
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
