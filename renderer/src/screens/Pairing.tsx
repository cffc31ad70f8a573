import { useState } from 'react';
import { useWords } from '../i18n.js';

type Props = { initialCode: string; onPair(code: string): Promise<void> };

/** First start: the kiosk pairs with the centre's server using a one-time code from an admin. */
export function Pairing({ initialCode, onPair }: Props) {
  const { t } = useWords();
  const [code, setCode] = useState(initialCode);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <main className="pairing">
      <h2>{t.pairTitle}</h2>
      <form onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setFailed(false);
        onPair(code.trim()).catch(() => setFailed(true)).finally(() => setBusy(false));
      }}>
        <label>{t.pairPrompt}
          <input name="pairingCode" value={code} onChange={(e) => setCode(e.target.value.toUpperCase())} maxLength={20} autoComplete="off" />
        </label>
        <button type="submit" disabled={busy || code.trim().length < 6}>{t.pairButton}</button>
      </form>
      {failed && <p className="error" role="alert">{t.pairFailed}</p>}
    </main>
  );
}
