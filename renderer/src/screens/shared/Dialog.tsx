import type { ReactNode } from 'react';
import { useLocalWords } from '../../i18n.js';
import { sharedWords } from './words.js';

/**
 * A confirmation before anything that cannot be taken back: the title says what happens, the body
 * what it changes; nothing is written until 确认.
 */
export function ConfirmDialog({ title, children, busy = false, confirmLabel, onCancel, onConfirm }: {
  title: string; children?: ReactNode; busy?: boolean; confirmLabel?: string; onCancel(): void; onConfirm(): void;
}) {
  const w = useLocalWords(sharedWords);
  return (
    <div className="overlay">
      <div role="dialog" aria-modal="true" aria-labelledby="dialog-title" className="dialog">
        <h2 id="dialog-title">{title}</h2>
        {children}
        <div className="actions">
          <button type="button" className="secondary" onClick={onCancel}>{w.cancel}</button>
          <button type="button" className="primary" disabled={busy} onClick={onConfirm}>{confirmLabel ?? w.confirm}</button>
        </div>
      </div>
    </div>
  );
}
