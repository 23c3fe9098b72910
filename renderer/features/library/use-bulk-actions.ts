/**
 * What the library does to many photos at once, each one contract call that
 * ends in a notice: rate, mark or unmark as favourites, remove from the
 * library (after asking), and check that every original is still in place.
 */
import { useApi } from '../../api/context.js';
import type { ConfirmOptions } from '../../components/ui/ConfirmDialog.js';
import type { PageStore } from './photo-pages.js';

export interface BulkActions {
  rate(ids: number[], rating: number): Promise<void>;
  /** Sets the favourite mark, or toggles it: unmarks when every loaded target is a favourite. */
  favorite(ids: number[], value?: boolean): Promise<void>;
  remove(ids: number[]): Promise<void>;
  checkFiles(): Promise<void>;
}

export interface BulkActionDeps {
  store: PageStore;
  confirm(o: ConfirmOptions): Promise<boolean>;
  say(notice: string): void;
  onError(e: unknown): void;
  /** After photos were removed from the library. */
  onRemoved(): void;
  /** After a check found missing originals (the grid then shows them). */
  onMissing(): void;
}

const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

export function useBulkActions({ store, confirm, say, onError, onRemoved, onMissing }: BulkActionDeps): BulkActions {
  const api = useApi();
  return {
    async rate(ids, rating) {
      if (!ids.length) return;
      try {
        await api.call('library.setRating', { photoIds: ids, rating });
        say(rating ? `Rated ${ids.length} photo(s) ${'★'.repeat(rating)}` : `Cleared the rating of ${ids.length} photo(s)`);
      } catch (e) {
        onError(e);
      }
    },
    async favorite(ids, value) {
      if (!ids.length) return;
      const fav = value ?? !ids.every((id) => store.get(store.indexOf(id))?.favorite);
      try {
        await api.call('library.setFavorite', { photoIds: ids, favorite: fav });
        say(`${fav ? 'Marked' : 'Unmarked'} ${ids.length} photo(s) as ${plural(ids.length, 'favourite')}`);
      } catch (e) {
        onError(e);
      }
    },
    async remove(ids) {
      if (!ids.length) return;
      const ok = await confirm({
        title: `Remove ${ids.length} ${plural(ids.length, 'photo')} from the library?`,
        body: 'Their restored versions and thumbnails are deleted from the catalog. The original files on disk are not touched.',
        action: 'Remove from library',
        danger: true,
      });
      if (!ok) return;
      try {
        const r = await api.call('library.removePhotos', { photoIds: ids });
        onRemoved();
        say(`Removed ${r.removed} photo(s) from the library.`);
      } catch (e) {
        onError(e);
      }
    },
    async checkFiles() {
      try {
        say('Checking that every original is still in place…');
        const r = await api.run('library.checkFiles', {});
        say(`Checked ${r.checked} photo(s): ${r.missing} missing${r.found ? `, ${r.found} found again` : ''}.`);
        if (r.missing > 0) onMissing();
      } catch (e) {
        onError(e);
      }
    },
  };
}
