import { useEffect, useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { KioskConfig, Lang, LinliBridge } from '../../core/index.js';
import { LangContext, useWords } from './i18n.js';
import { Counter } from './screens/Counter.js';
import { DEFAULT_WEDGE } from './scan/burst.js';
import { Pairing } from './screens/Pairing.js';
import type { Clock } from './store/actions.js';
import type { LinliDb } from './store/db.js';
import { SyncClient, type SyncProgress, type SyncState } from './sync/client.js';

type Props = { db: LinliDb; config: KioskConfig; bridge: LinliBridge | null; clock: Clock; onPending(count: number): void };

/** The kiosk: pairs once, then shows the counter with the sync status always in sight. */
export function App({ db, config, bridge, clock, onPending }: Props) {
  const [lang, setLang] = useState<Lang>('zh');
  const [state, setState] = useState<SyncState>({ kind: 'connecting' });
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const device = useLiveQuery(() => db.device().then((d) => d ?? null), [], undefined);
  const cursor = useLiveQuery(() => db.cursor(), [], undefined);
  const rejections = useLiveQuery(() => db.rejections.count(), [], 0);
  // Counted from the outbox itself, so the number is right the moment an event commits.
  const pending = useLiveQuery(() => db.outbox.where('status').equals('pending').count(), [], 0);
  const scanner = useLiveQuery(() => db.meta.get('scanner').then((m) => (m?.key === 'scanner' ? m.config : DEFAULT_WEDGE)), [], DEFAULT_WEDGE);
  const sync = useMemo(() => new SyncClient(db, undefined, setProgress), [db]);

  useEffect(() => sync.subscribe(setState), [sync]);
  useEffect(() => onPending(pending), [pending, onPending]);
  useEffect(() => {
    if (!device) return;
    sync.start();
    return () => sync.stop();
  }, [sync, device]);

  const ready = device && cursor && cursor.seq > 0;
  return (
    <LangContext.Provider value={{ lang, setLang }}>
      <Header device={device ?? null} state={state} pending={pending} rejections={rejections} onLang={() => setLang(lang === 'zh' ? 'en' : 'zh')} />
      {device === undefined ? null : device === null ? (
        <Pairing initialCode={config.pairingCode ?? ''} onPair={(code) => SyncClient.enrol(db, config.serverUrl, code)} />
      ) : ready ? (
        <Counter db={db} clock={clock} paper={config.paper} printer={bridge} scanner={scanner} afterCommit={() => void sync.sync()} />
      ) : (
        <Loading rows={progress?.rows ?? 0} />
      )}
    </LangContext.Provider>
  );
}

function Loading({ rows }: { rows: number }) {
  const { t } = useWords();
  return <main className="loading" role="status"><p>{t.loading(rows)}</p><progress /></main>;
}

type HeaderProps = { device: { centreName: string; deviceCode: string } | null; state: SyncState; pending: number; rejections: number; onLang(): void };

function Header({ device, state, pending, rejections, onLang }: HeaderProps) {
  const { t } = useWords();
  const label = state.kind === 'stopped' ? t.stopped
    : state.kind === 'offline' ? t.offline(pending)
    : pending > 0 ? t.pending(pending)
    : t.synced;
  const tone = state.kind === 'stopped' || state.kind === 'offline' ? state.kind : pending > 0 ? 'pending' : 'synced';
  return (
    <header className="top">
      <h1>{t.appName}</h1>
      {device && <span className="centre">{device.centreName} · {device.deviceCode}</span>}
      <span className={`sync sync-${tone}`} data-testid="sync-status" data-pending={pending} role="status">{label}</span>
      {rejections > 0 && <span className="rejections" role="alert">{t.rejected(rejections)}</span>}
      <button className="lang" onClick={onLang}>{t.language}</button>
    </header>
  );
}
