/**
 * How the instruction was understood: every setting as a chip (what the words said, what the photo
 * decided, the defaults), each a menu of its values; choosing one sets it over the words and runs the
 * preview again. An engine that reports no settings gets its semantic tokens shown instead.
 */
import type { SteeringRecord } from '../../../electron/shared/instructions/slots.js';
import { settingChips, understoodTokens } from './restore-settings.js';

export interface UnderstoodChipsProps {
  tokens: readonly string[];
  understood?: SteeringRecord | undefined;
  /** Sets one setting ("grain" → "keep"); an empty value removes the user's setting. */
  onSet?(key: string, value: string): void;
  busy?: boolean;
}

export function UnderstoodChips({ tokens, understood, onSet, busy }: UnderstoodChipsProps) {
  if (!understood) {
    return (
      <p className="understood" data-testid="understood">
        Understood as:{' '}
        {understoodTokens(tokens).map((t) => (
          <span key={t} className="chip static">
            {t.replace(':', ': ')}
          </span>
        ))}
      </p>
    );
  }
  const chips = settingChips(understood);
  return (
    <div className="understood" data-testid="understood">
      <p className="small muted">Understood as (click a setting to change it; bold ones came from your words or your choices):</p>
      <div className="setting-chips">
        {chips.map((c) => (
          <label key={c.key} className={`chip setting source-${c.source}`} title={c.title} data-testid={`setting-${c.key}`} data-source={c.source}>
            <span className="setting-name">{c.label}:</span>{' '}
            <select aria-label={c.label} value={c.value} disabled={busy || !onSet} onChange={(e) => onSet?.(c.key, e.target.value)}>
              {c.values.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
            {c.source === 'edit' && onSet && (
              <button className="chip-reset" aria-label={`Undo ${c.label}`} title="Back to what the words and the photo say" disabled={busy} onClick={(e) => (e.preventDefault(), onSet(c.key, ''))}>
                ×
              </button>
            )}
          </label>
        ))}
      </div>
      {understood.notes.map((n) => (
        <p key={n} className="small muted" data-testid="understood-note">
          {n}
        </p>
      ))}
    </div>
  );
}
