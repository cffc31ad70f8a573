import { useState } from 'react';
import { useLocalWords } from '../i18n.js';
import { ConfirmDialog } from './shared/Dialog.js';

const exitWords = {
  zh: {
    button: '退出', title: '退出邻里柜台？',
    body: '退出后本机不再接待居民，也不再同步；要再用时请重新打开「邻里」。',
    pending: (n: number) => `还有 ${n} 条记录未同步到服务器。它们已安全保存在本机，下次打开会继续同步；但在那之前服务器看不到它们。`,
    go: '退出邻里',
  },
  en: {
    button: 'Exit', title: 'Close the Linli kiosk?',
    body: 'Once closed, this PC serves no residents and does not sync; open 邻里 (Linli) again to use it.',
    pending: (n: number) => `${n} records have not reached the server yet. They are kept safely on this PC and sync when it opens again, but the server does not see them until then.`,
    go: 'Close Linli',
  },
};

/**
 * The admin's way out of the kiosk (kiosk mode blocks every other): shown by the header to a
 * signed-in admin in Electron only, it asks first, with a warning while events wait to be synced,
 * then asks main to close (`linli.exitKiosk`; main warns once more in its own dialog then).
 */
export function ExitKiosk({ pending, onExit }: { pending: number; onExit(): void }) {
  const w = useLocalWords(exitWords);
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button className="secondary" onClick={() => setAsking(true)}>{w.button}</button>
      {asking && (
        <ConfirmDialog title={w.title} confirmLabel={w.go} onCancel={() => setAsking(false)} onConfirm={() => {
          setAsking(false);
          onExit();
        }}>
          <p>{w.body}</p>
          {pending > 0 && <p className="notice warn" role="alert">{w.pending(pending)}</p>}
        </ConfirmDialog>
      )}
    </>
  );
}
