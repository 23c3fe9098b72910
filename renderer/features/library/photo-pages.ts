/**
 * The grid's data: pages of 200 photos fetched on demand with
 * library.listPhotos(offset, limit) for whatever the grid is showing, so a
 * 100,000-photo library never loads more than a few pages. A new query
 * starts a new generation (late answers of the old one are dropped);
 * library.changed refreshes the pages on screen in place, without flicker.
 */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { RestoraClient } from '../../api/client.js';
import type { Params } from '../../../electron/shared/contract/index.js';
import type { PhotoSummary } from '../../../electron/shared/contract/library.js';

export const PAGE_SIZE = 200;
/** Pages kept in memory; the ones farthest from the screen are dropped first. */
const MAX_PAGES = 40;

export type PhotoQuery = Omit<Params<'library.listPhotos'>, 'offset' | 'limit'>;

export class PageStore {
  private pages = new Map<number, PhotoSummary[]>();
  private inflight = new Set<number>();
  private stale = new Set<number>();
  private listeners = new Set<() => void>();
  private generation = 0;
  private wanted: [number, number] = [0, 0];
  total: number | null = null;
  error: unknown = null;
  /** Bumped on every change, for useSyncExternalStore. */
  version = 0;

  constructor(private readonly api: RestoraClient, private readonly query: PhotoQuery) {}

  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  };

  getVersion = (): number => this.version;

  private changed(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  get(index: number): PhotoSummary | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Index of a loaded photo, or -1. */
  indexOf(id: number): number {
    for (const [page, items] of this.pages) {
      const i = items.findIndex((p) => p.id === id);
      if (i >= 0) return page * PAGE_SIZE + i;
    }
    return -1;
  }

  /** Makes sure photos [start, end) are loaded or on their way. */
  ensure(start: number, end: number): void {
    this.wanted = [start, end];
    const first = Math.floor(start / PAGE_SIZE);
    const last = Math.floor(Math.max(start, end - 1) / PAGE_SIZE);
    for (let p = first; p <= last; p++) {
      if ((!this.pages.has(p) || this.stale.has(p)) && !this.inflight.has(p)) void this.fetch(p);
    }
  }

  private async fetch(page: number): Promise<void> {
    const gen = this.generation;
    this.inflight.add(page);
    try {
      const r = await this.api.call('library.listPhotos', { ...this.query, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      if (gen !== this.generation) return;
      this.pages.set(page, r.items);
      this.stale.delete(page);
      this.total = r.total;
      this.error = null;
      this.evict(page);
    } catch (e) {
      if (gen !== this.generation) return;
      this.error = e;
    } finally {
      if (gen === this.generation) this.inflight.delete(page);
    }
    this.changed();
  }

  private evict(near: number): void {
    if (this.pages.size <= MAX_PAGES) return;
    const centre = Math.floor(this.wanted[0] / PAGE_SIZE) || near;
    const byDistance = [...this.pages.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
    for (const p of byDistance.slice(0, this.pages.size - MAX_PAGES)) this.pages.delete(p);
  }

  /** The catalog changed: keep showing what we have, refetch what is on screen, forget the rest. */
  refresh(): void {
    this.generation++;
    this.inflight.clear();
    const [start, end] = this.wanted;
    const keepFirst = Math.floor(start / PAGE_SIZE);
    const keepLast = Math.floor(Math.max(start, end - 1) / PAGE_SIZE);
    for (const p of [...this.pages.keys()]) {
      if (p < keepFirst || p > keepLast) this.pages.delete(p);
      else this.stale.add(p);
    }
    if (this.pages.size === 0) this.stale.clear();
    this.ensure(start, end);
    this.changed();
  }

  /** Ids of photos [start, end), loading what is missing in 1,000-photo requests (for range and select-all). */
  async ids(start: number, end: number): Promise<number[]> {
    const out: number[] = [];
    let i = start;
    while (i < end) {
      const cached = this.get(i);
      if (cached) {
        out.push(cached.id);
        i++;
        continue;
      }
      const limit = Math.min(1000, end - i);
      const r = await this.api.call('library.listPhotos', { ...this.query, offset: i, limit });
      if (r.items.length === 0) break;
      out.push(...r.items.map((p) => p.id));
      i += r.items.length;
    }
    return out;
  }
}

/** One PageStore per distinct query; refreshed on library.changed (debounced while an import streams in). */
export function usePhotoPages(api: RestoraClient, query: PhotoQuery): PageStore {
  const key = JSON.stringify(query);
  const store = useMemo(() => new PageStore(api, JSON.parse(key) as PhotoQuery), [api, key]);
  // The owner re-renders when the count or an error changes; the grid follows every page (usePageVersion).
  useSyncExternalStore(store.subscribe, () => `${store.total}|${store.error ? 1 : 0}`);
  useEffect(() => {
    store.ensure(0, PAGE_SIZE);
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = api.on('library.changed', () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        store.refresh();
      }, 120);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [api, store]);
  return store;
}

/** Re-renders the caller whenever a page arrives or is refreshed. */
export function usePageVersion(store: PageStore): number {
  return useSyncExternalStore(store.subscribe, store.getVersion);
}
