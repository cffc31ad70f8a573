import { useCallback, useEffect, useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { IDLE_SIGN_OUT_MS, type KioskConfig, type Lang, type LinliBridge } from '../../core/index.js';
import { keepLang, LangContext, storedLang, useWords } from './i18n.js';
import { Counter } from './screens/Counter.js';
import { CanteenApp, isCallingDisplay } from './canteen/CanteenApp.js';
import { CallingScreen } from './canteen/CallingScreen.js';
import { Exceptions } from './screens/Exceptions.js';
import { RulesScreen } from './screens/admin/RulesScreen.js';
import { DonationScreen } from './screens/donations/DonationScreen.js';
import { GoodsScreen } from './screens/goods/GoodsScreen.js';
import { ReportsScreen } from './screens/reports/ReportsScreen.js';
import { ServiceScreen } from './screens/service/ServiceScreen.js';
import { ShopsScreen } from './screens/shops/ShopsScreen.js';
import { DEFAULT_WEDGE } from './scan/burst.js';
import { Pairing } from './screens/Pairing.js';
import { SignIn } from './screens/SignIn.js';
import { browserKeeper, bridgeKeeper } from './staff/keeper.js';
import { signIn, type StaffSession } from './staff/signIn.js';
import type { Clock } from './store/actions.js';
import type { LinliDb } from './store/db.js';
import { openExceptions } from './store/view.js';
import { SyncClient, type SyncProgress, type SyncState } from './sync/client.js';
import { exportOutbox } from './sync/exportOutbox.js';

type Props = {
  db: LinliDb; config: KioskConfig; bridge: LinliBridge | null; clock: Clock; onPending(count: number): void;
  /** Whether the browser granted persistent storage (null: not asked, or not known). */
  persisted?: boolean | null;
  /** After how long without a touch, key or scan staff are signed out. */
  idleMs?: number;
};
/** The screens a signed-in clerk works (`rules` for admins only), and the exception queue. */
type Tab = 'counter' | 'service' | 'donations' | 'goods' | 'shops' | 'reports' | 'rules' | 'exceptions';

/**
 * The kiosk: pairs once, then staff sign in and work the counter or the exception queue, with
 * the sync status and the number of waiting events always in sight.
 */
export function App({ db, config, bridge, clock, onPending, persisted = null, idleMs = IDLE_SIGN_OUT_MS }: Props) {
  // The language staff chose stays across a reload; <html lang> follows it.
  const [lang, setLang] = useState<Lang>(storedLang);
  useEffect(() => keepLang(lang), [lang]);
  const [state, setState] = useState<SyncState>({ kind: 'connecting' });
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [staff, setStaff] = useState<StaffSession | null>(null);
  const [signedOutIdle, setSignedOutIdle] = useState(false);
  const [tab, setTab] = useState<Tab>('counter');
  const [exported, setExported] = useState<{ count: number; fileName: string } | 'nothing' | null>(null);
  const device = useLiveQuery(() => db.device().then((d) => d ?? null), [], undefined);
  const cursor = useLiveQuery(() => db.cursor(), [], undefined);
  const rejections = useLiveQuery(() => db.rejections.count(), [], 0);
  const open = useLiveQuery(() => openExceptions(db).then((rows) => rows.length), [], 0);
  // Counted from the outbox itself, so the number is right the moment an event commits.
  const pending = useLiveQuery(() => db.outbox.where('status').equals('pending').count(), [], 0);
  const scanner = useLiveQuery(() => db.meta.get('scanner').then((m) => (m?.key === 'scanner' ? m.config : DEFAULT_WEDGE)), [], DEFAULT_WEDGE);
  const keeper = useMemo(() => (bridge ? bridgeKeeper(bridge) : browserKeeper(db)), [bridge, db]);
  const sync = useMemo(() => new SyncClient(db, undefined, setProgress, keeper), [db, keeper]);

  useEffect(() => sync.subscribe(setState), [sync]);
  useEffect(() => onPending(pending), [pending, onPending]);
  useEffect(() => {
    if (!device) return;
    sync.start();
    return () => sync.stop();
  }, [sync, device]);

  // Signed-in staff are signed out when the kiosk is left alone.
  useEffect(() => {
    if (!staff) return;
    let timer = setTimeout(() => undefined, 0);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        setStaff(null);
        setTab('counter');
        setSignedOutIdle(true);
      }, idleMs);
    };
    touch();
    const events = ['pointerdown', 'keydown', 'wheel'] as const;
    for (const e of events) addEventListener(e, touch, { capture: true, passive: true });
    return () => {
      clearTimeout(timer);
      for (const e of events) removeEventListener(e, touch, { capture: true });
    };
  }, [staff, idleMs]);

  const onSignIn = useCallback(async (card: string, pin: string) => {
    const r = await signIn(db, keeper, card, pin, clock.now());
    if (r.ok) {
      setStaff(r.value);
      setSignedOutIdle(false);
    }
    return r;
  }, [db, keeper, clock]);

  const onExport = useCallback(async () => {
    const file = await exportOutbox(db, clock.now());
    if (!file) return setExported('nothing');
    const url = URL.createObjectURL(new Blob([file.text], { type: 'application/json' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: file.fileName });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    setExported({ count: file.count, fileName: file.fileName });
  }, [db, clock]);

  const ready = device && cursor && cursor.seq > 0;
  const afterCommit = () => void sync.sync();
  return (
    <LangContext.Provider value={{ lang, setLang }}>
      <Header device={device ?? null} state={state} pending={pending} rejections={rejections} staff={staff} download={device && !ready ? (progress ?? { rows: 0, head: 0, upTo: 0 }) : null}
        onLang={() => setLang(lang === 'zh' ? 'en' : 'zh')}
        onSignOut={() => { setStaff(null); setTab('counter'); }} onExport={device ? () => void onExport() : null} />
      <Notices exported={exported} persisted={persisted} />
      {device === undefined ? null : device === null ? (
        <Pairing initialCode={config.pairingCode ?? ''} onPair={(code) => SyncClient.enrol(db, config.serverUrl, code, undefined, keeper)} />
      ) : !ready ? (
        <Loading progress={progress} />
      ) : device.profile === 'canteen' && isCallingDisplay() ? (
        <CallingScreen db={db} clock={clock} />
      ) : !staff ? (
        <SignIn scanner={scanner} signedOutIdle={signedOutIdle} onSignIn={onSignIn} />
      ) : device.profile === 'canteen' ? (
        <CanteenApp db={db} clock={clock} paper={config.paper} printer={bridge} scanner={scanner} staffId={staff.staffId} afterCommit={afterCommit} />
      ) : (
        <>
          <Tabs tab={tab} onTab={setTab} open={open + rejections} admin={staff.role === 'admin'} />
          {tab === 'counter' ? <Counter db={db} clock={clock} paper={config.paper} printer={bridge} scanner={scanner} staff={staff} afterCommit={afterCommit} />
            : tab === 'service' ? <ServiceScreen db={db} clock={clock} scanner={scanner} staffId={staff.staffId} afterCommit={afterCommit} />
              : tab === 'donations' ? <DonationScreen db={db} clock={clock} scanner={scanner} paper={config.paper} printer={bridge} staffId={staff.staffId} afterCommit={afterCommit} />
                : tab === 'goods' ? <GoodsScreen db={db} clock={clock} scanner={scanner} paper={config.paper} printer={bridge} staffId={staff.staffId} afterCommit={afterCommit} />
                  : tab === 'shops' ? <ShopsScreen db={db} clock={clock} paper={config.paper} printer={bridge} staff={staff} afterCommit={afterCommit} />
                    : tab === 'reports' ? <ReportsScreen db={db} clock={clock} paper={config.paper} printer={bridge} />
                      : tab === 'rules' && staff.role === 'admin' ? <RulesScreen db={db} clock={clock} staffId={staff.staffId} afterCommit={afterCommit} />
                        : <Exceptions db={db} clock={clock} staffId={staff.staffId} afterCommit={afterCommit} />}
        </>
      )}
    </LangContext.Provider>
  );
}

function Tabs({ tab, onTab, open, admin }: { tab: Tab; onTab(t: Tab): void; open: number; admin: boolean }) {
  const { t } = useWords();
  const store = (['service', 'donations', 'goods', 'shops', 'reports', ...(admin ? ['rules' as const] : [])] as const);
  return (
    <nav className="tabs" role="tablist">
      <button role="tab" aria-selected={tab === 'counter'} onClick={() => onTab('counter')}>{t.counterTab}</button>
      {store.map((k) => <button key={k} role="tab" aria-selected={tab === k} onClick={() => onTab(k)}>{t.tabs[k]}</button>)}
      <button role="tab" aria-selected={tab === 'exceptions'} onClick={() => onTab('exceptions')}>{t.exceptionsTab(open)}</button>
    </nav>
  );
}

function Notices({ exported, persisted }: { exported: { count: number; fileName: string } | 'nothing' | null; persisted: boolean | null }) {
  const { t } = useWords();
  return (
    <>
      {exported && <p className="notice" role="status">{exported === 'nothing' ? t.exportNothing : t.exportDone(exported.count, exported.fileName)}</p>}
      {persisted === false && <p className="notice warn" role="status">{t.storageNotPersisted}</p>}
    </>
  );
}

/** The first download: how many rows have come, and how far along the server's changes it is. */
function Loading({ progress }: { progress: SyncProgress | null }) {
  const { t } = useWords();
  const head = progress?.head ?? 0;
  return (
    <main className="loading" role="status">
      <p>{t.loading(progress?.rows ?? 0, head)}</p>
      {head > 0 ? <progress max={head} value={progress?.upTo ?? 0} /> : <progress />}
    </main>
  );
}

/**
 * What the header says of sync, and in which tone. It never says 已同步 unless it is: not before
 * pairing, not while connecting, not during the first download.
 */
export function syncLabel(t: ReturnType<typeof useWords>['t'], o: { paired: boolean; state: SyncState; pending: number; download: SyncProgress | null }): { text: string; tone: string } {
  if (!o.paired) return { text: t.notPaired, tone: 'pending' };
  if (o.state.kind === 'stopped') return { text: o.state.reason === 'seqConflict' && o.state.seq !== null ? t.stoppedSeqConflict(o.state.seq) : t.stopped, tone: 'stopped' };
  if (o.state.kind === 'offline') return { text: t.offline(o.pending), tone: 'offline' };
  if (o.download) return { text: t.downloading(o.download.head > 0 ? Math.floor((100 * o.download.upTo) / o.download.head) : 0), tone: 'pending' };
  if (o.state.kind === 'connecting') return { text: t.connecting, tone: 'pending' };
  if (o.pending > 0) return { text: t.pending(o.pending), tone: 'pending' };
  return { text: t.synced, tone: 'synced' };
}

type HeaderProps = {
  device: { centreName: string; deviceCode: string } | null; state: SyncState; pending: number; rejections: number; staff: StaffSession | null;
  /** The first download's progress while it runs, or null. */
  download: SyncProgress | null;
  onLang(): void; onSignOut(): void; onExport: (() => void) | null;
};

function Header({ device, state, pending, rejections, staff, download, onLang, onSignOut, onExport }: HeaderProps) {
  const { t } = useWords();
  const { text: label, tone } = syncLabel(t, { paired: device !== null, state, pending, download });
  return (
    <header className="top">
      <h1>{t.appName}</h1>
      {device && <span className="centre">{device.centreName} · {device.deviceCode}</span>}
      <span className={`sync sync-${tone}`} data-testid="sync-status" data-pending={pending} role="status">{label}</span>
      {rejections > 0 && <span className="rejections" role="alert">{t.rejected(rejections)}</span>}
      {staff && onExport && pending > 0 && <button className="secondary" onClick={onExport}>{t.exportOutbox}</button>}
      {staff && <span className="staff">{t.signedInAs(staff.name)} <button className="secondary" onClick={onSignOut}>{t.signOut}</button></span>}
      <button className="lang" onClick={onLang}>{t.language}</button>
    </header>
  );
}
