/**
 * An in-app confirmation dialog (window.confirm blocks the renderer and
 * cannot be styled). `const [dialog, confirm] = useConfirm()`; render
 * `dialog`, then `if (await confirm({ title, body, action: 'Delete' })) ...`.
 * Escape or Cancel answers false. The confirm button has focus, except for
 * a dangerous action (delete, remove): then Cancel has it, so a stray Enter
 * or Space never deletes.
 */
import './modal.css';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

export interface ConfirmOptions {
  title: string;
  body?: ReactNode;
  /** Label of the confirming button, e.g. 'Delete version'. */
  action: string;
  danger?: boolean;
}

export function useConfirm(): [ReactNode, (o: ConfirmOptions) => Promise<boolean>] {
  const [pending, setPending] = useState<(ConfirmOptions & { resolve(v: boolean): void }) | null>(null);
  const ask = useCallback((o: ConfirmOptions) => new Promise<boolean>((resolve) => setPending({ ...o, resolve })), []);
  const answer = (v: boolean) => {
    pending?.resolve(v);
    setPending(null);
  };
  const dialog = pending ? <ConfirmDialog options={pending} onAnswer={answer} /> : null;
  return [dialog, ask];
}

function ConfirmDialog({ options, onAnswer }: { options: ConfirmOptions; onAnswer(v: boolean): void }) {
  const ok = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const danger = !!options.danger;
  useEffect(() => (danger ? cancel : ok).current?.focus(), [danger]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onAnswer(false)}>
      <div
        className="modal"
        role="alertdialog"
        aria-modal="true"
        aria-label={options.title}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Escape') onAnswer(false);
        }}
      >
        <h2>{options.title}</h2>
        {options.body && <div className="modal-body">{options.body}</div>}
        <div className="modal-actions">
          <button ref={cancel} className="secondary" onClick={() => onAnswer(false)}>
            Cancel
          </button>
          <button ref={ok} className={options.danger ? 'danger' : ''} onClick={() => onAnswer(true)}>
            {options.action}
          </button>
        </div>
      </div>
    </div>
  );
}
