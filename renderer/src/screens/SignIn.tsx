import { useEffect, useRef, useState } from 'react';
import type { Message } from '../../../core/index.js';
import { useWords } from '../i18n.js';
import type { WedgeConfig } from '../scan/burst.js';
import { listenForScans } from '../scan/wedge.js';
import type { StaffSession } from '../staff/signIn.js';

type Props = {
  scanner: WedgeConfig;
  /** Whether staff were just signed out for being idle (said above the form). */
  signedOutIdle: boolean;
  onSignIn(card: string, pin: string): Promise<{ ok: true; value: StaffSession } | { ok: false; error: Message }>;
};

/** Staff sign in with their staff card (scanned or typed) and PIN, offline. */
export function SignIn({ scanner, signedOutIdle, onSignIn }: Props) {
  const { t, say } = useWords();
  const [card, setCard] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);

  // A scanned staff card fills the card field and moves on to the PIN.
  useEffect(() => listenForScans(window, (code) => {
    setCard(code.toUpperCase());
    pinRef.current?.focus();
  }, scanner), [scanner]);

  return (
    <main className="sign-in">
      <h2>{t.signInTitle}</h2>
      <p>{t.signInPrompt}</p>
      {signedOutIdle && <p className="notice" role="status">{t.signedOutIdle}</p>}
      <form onSubmit={(e) => {
        e.preventDefault();
        if (busy) return;
        setBusy(true);
        onSignIn(card, pin).then((r) => {
          if (!r.ok) {
            setError(r.error);
            setPin('');
          }
        }, () => setError({ key: 'signInFailed', params: {} })).finally(() => setBusy(false));
      }}>
        <label>{t.staffCard}
          <input name="staffCard" value={card} onChange={(e) => setCard(e.target.value.toUpperCase())} autoComplete="off" autoFocus maxLength={16} />
        </label>
        <label>{t.pin}
          <input ref={pinRef} name="pin" type="password" inputMode="numeric" autoComplete="off" value={pin} maxLength={12}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />
        </label>
        <button type="submit" className="primary" disabled={busy || card.length === 0 || pin.length === 0}>{busy ? t.checking : t.signIn}</button>
      </form>
      {error && <p className="error" role="alert">{say(error)}</p>}
    </main>
  );
}
