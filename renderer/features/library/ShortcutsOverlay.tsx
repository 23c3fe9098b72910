/** The "?" overlay: every keyboard shortcut of the library and the photo view. */
import { Modal } from '../../components/ui/Modal.js';

export const SHORTCUTS: Array<[string, string]> = [
  ['Click / Ctrl-click / Shift-click', 'Select one / toggle / select a range'],
  ['Arrow keys', 'Move between photos (Shift extends the selection)'],
  ['Ctrl+A', 'Select every photo that matches'],
  ['Enter / double-click', 'Open the photo view'],
  ['Esc', 'Close the photo view, clear the selection'],
  ['1 – 5, 0', 'Rate the selection, clear the rating'],
  ['F', 'Toggle favourite'],
  ['T', 'Tag the selection'],
  ['R', 'Restore the selection'],
  ['Delete', 'Remove from the library (files on disk stay)'],
  ['/', 'Search'],
  ['Photo view: ← →', 'Previous / next photo'],
  ['Photo view: + − wheel, drag', 'Zoom and pan'],
  ['Photo view: Z', 'Fit / 100%'],
  ['Photo view: C', 'Compare two versions'],
  ['Photo view: O or \\', 'The original / back to the preferred version'],
  ['?', 'This list'],
];

export function ShortcutsOverlay({ onClose }: { onClose(): void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <dl className="facts shortcuts" data-testid="shortcuts">
        {SHORTCUTS.map(([k, v]) => (
          <div key={k} className="contents">
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}
