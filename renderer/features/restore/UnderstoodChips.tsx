/**
 * How the instruction was understood: every setting as a chip (what the words said, what the photo
 * decided, the defaults), each a menu of its values; choosing one sets it over the words and runs the
 * preview again. Strength has a slider too: how much of the restoration is kept, 0 to 1, set when the
 * slider is let go. An engine that reports no settings gets its semantic tokens shown instead.
 */
import { useEffect, useRef, useState } from 'react';
import { strengthNumber, strengthValue, type SteeringRecord } from '../../../electron/shared/instructions/slots.js';
import { settingChips, understoodTokens, type SettingChip } from './restore-settings.js';

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
            {c.slot === 'strength' && <StrengthSlider chip={c} disabled={busy || !onSet} onSet={(v) => onSet?.(c.key, v)} />}
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

/** Strength 0..1 as a blend; the named steps sit at gentle ½ and normal 1 (strong is past the slider's end). */
function StrengthSlider({ chip, disabled, onSet }: { chip: SettingChip; disabled: boolean; onSet(value: string): void }) {
  const current = strengthNumber(chip.value) ?? (chip.value === 'gentle' ? 0.5 : 1);
  const [draft, setDraft] = useState(current);
  const input = useRef<HTMLInputElement>(null);
  const latest = useRef({ current, onSet });
  latest.current = { current, onSet };
  useEffect(() => setDraft(current), [current]);
  // One preview per choice, not one per pixel of a drag: React's onChange follows every movement, the
  // DOM's own change event fires once, when the slider is let go (or per key press).
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    const commit = () => {
      const v = strengthValue(Number(el.value));
      if (v !== strengthValue(latest.current.current)) latest.current.onSet(v);
    };
    el.addEventListener('change', commit);
    return () => el.removeEventListener('change', commit);
  }, []);
  return (
    <span className="strength-slider">
      <input
        ref={input}
        type="range"
        min={0}
        max={1}
        step={0.05}
        value={draft}
        disabled={disabled}
        aria-label="Strength (how much of the restoration is kept)"
        data-testid="strength-slider"
        onChange={(e) => setDraft(Number(e.target.value))}
      />
      <output>{strengthValue(draft)}</output>
    </span>
  );
}
