/** What the photos area says when it has nothing to show: how to import into an empty library, or that nothing matches and a way back to every photo. */
import { EmptyState } from '../../components/ui/Notice.js';
import { activeFilterCount, type Filters } from './filters.js';
import { scopeLabel, type Scope } from './scope.js';

export interface EmptyLibraryProps {
  /** Whether a scope, search or filter is narrowing the grid. */
  narrowed: boolean;
  scope: Scope;
  searchText: string;
  filters: Filters;
  onShowAll(): void;
}

export function EmptyLibrary({ narrowed, scope, searchText, filters, onShowAll }: EmptyLibraryProps) {
  if (narrowed) {
    return (
      <EmptyState title="No photos match">
        <p>
          Nothing in {scopeLabel(scope).toLowerCase()} matches{searchText.trim() ? ` “${searchText.trim()}”` : ''}
          {activeFilterCount(filters) ? ' with these filters' : ''}.
        </p>
        <button className="secondary" onClick={onShowAll}>
          Show all photos
        </button>
      </EmptyState>
    );
  }
  return (
    <EmptyState title="Your library is empty">
      <p>Type the path of a folder with your scans above and press Import, or drag a folder from your file manager onto this window. Originals are never changed.</p>
      <p className="muted">JPEG, PNG, TIFF (8 and 16 bit), WebP, AVIF and GIF are read. Press ? for keyboard shortcuts.</p>
    </EmptyState>
  );
}
