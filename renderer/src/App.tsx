import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { IDLE_SIGN_OUT_MS, type KioskConfig, type Lang, type LinliBridge } from '../../core/index.js';
import { keepLang, LangContext, storedLang, useWords } from './i18n.js';
import { isCallingDisplay } from './canteen/display.js';
import { ExitKiosk } from './screens/ExitKiosk.js';
// Loaded apart from the start (screens/lazy.ts): the kiosk opens to its sign-in.
import { CallingScreen, CanteenApp, Counter, DonationScreen, Exceptions, GoodsScreen, ReportsScreen, RulesScreen, ServiceScreen, ShopsScreen } from './screens/lazy.js';
import { DEFAULT_WEDGE } from './scan/burst.js';
import { Pairing } from './screens/Pairing.js';
import { SelfServiceApp } from './selfService/SelfServiceApp.js';
import { SignIn } from './screens/SignIn.js';
import { browserKeeper, bridgeKeeper } from './staff/keeper.js';
import { signIn, type StaffSession } from './staff/signIn.js';
import type { Clock } from './store/actions.js';
import type { LinliDb } from './store/db.js';
import { openExceptionCount } from './store/view.js';
import { SyncClient, type SyncProgress, type SyncState } from './sync/client.js';
import { exportOutbox } from './sync/exportOutbox.js';
import { largeTypeOn, setLargeType } from './typeSize.js';

type Props = {
  db: LinliDb; config: KioskConfig; bridge: LinliBridge | null; clock: Clock; onPending(count: number): void;
  /** Whether the browser granted persistent storage (null: not asked, or not known). */
  persisted?: boolean | null;
  /** After how long without a touch, key or scan staff are signed out. */
  idleMs?: number;
};

/** How long a registration waits to hear who has a phone before asking by its last four digits, as offline. */
const PHONE_CHECK_MS = 3_000;

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
  const open = useLiveQuery(() => openExceptionCount(db), [], 0);
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

  // The admin app's window (Electron) is an admin's only while one is signed in here: signed out
  // (by hand or after a while without use), it closes, and its sign-in goes with it.
  const adminHere = staff?.role === 'admin';
  useEffect(() => {
    if (bridge && !adminHere) void bridge.closeAdmin();
  }, [bridge, adminHere]);

  // Closing: a counter that did something today asks to print the day summary first (screens/reports/closing.ts).
  const [closing, setClosing] = useState(false);
  const signOut = () => { setClosing(false); setStaff(null); setTab('counter'); };
  const askSignOut = async () => {
    // Loaded when first asked (it reads the day's figures); a browser kiosk offline may not get it: then it just signs out.
    const due = await import('./screens/reports/closing.js')
      .then(({ closingDue }) => device?.profile === 'counter' && closingDue(db, clock))
      .catch(() => false);
    if (due) setClosing(true);
    else signOut();
  };

  const ready = device && cursor && cursor.seq > 0;
  // Remembered for the next start, which draws its sign-in before the database is open.
  const known = device !== undefined && cursor !== undefined;
  useEffect(() => {
    if (known) rememberReady(Boolean(ready));
  }, [known, ready]);
  const afterCommit = () => void sync.sync();
  const signInScreen = <SignIn scanner={scanner} signedOutIdle={signedOutIdle} onSignIn={onSignIn} />;
  // A self-service touchscreen has no sign-in and a header of its own (renderer/src/selfService/).
  if (device && ready && device.profile === 'selfService') {
    return (
      <LangContext.Provider value={{ lang, setLang }}>
        <SelfService db={db} clock={clock} bridge={bridge} device={device} scanner={scanner} afterCommit={afterCommit} state={state} pending={pending} />
      </LangContext.Provider>
    );
  }
  return (
    <LangContext.Provider value={{ lang, setLang }}>
      <Header device={device ?? null} state={state} pending={pending} rejections={rejections} staff={staff} download={device && !ready ? (progress ?? { rows: 0, head: 0, upTo: 0 }) : null}
        onLang={() => setLang(lang === 'zh' ? 'en' : 'zh')}
        onSignOut={() => void askSignOut()} onExport={device ? () => void onExport() : null}
        onExitKiosk={bridge && staff?.role === 'admin' ? () => void bridge.exitKiosk() : null}
        onOpenAdmin={staff?.role === 'admin' ? () => openAdminApp(bridge, config.serverUrl) : null} />
      <Notices exported={exported} persisted={persisted} />
      {closing && staff && <Closing onPrint={() => { setClosing(false); setTab('reports'); }} onSignOut={signOut} onStay={() => setClosing(false)} />}
      <Suspense fallback={null}>
      {!known ? (wasReady && !isCallingDisplay() ? signInScreen : null) : device === null ? (
        <Pairing initialCode={config.pairingCode ?? ''} onPair={(code) => SyncClient.enrol(db, config.serverUrl, code, undefined, keeper)} />
      ) : !ready ? (
        <Loading progress={progress} />
      ) : device.profile === 'canteen' && isCallingDisplay() ? (
        <CallingScreen db={db} clock={clock} />
      ) : !staff ? (
        signInScreen
      ) : device.profile === 'canteen' ? (
        <CanteenApp db={db} clock={clock} paper={config.paper} printer={bridge} scanner={scanner} staffId={staff.staffId} admin={staff.role === 'admin'} afterCommit={afterCommit} />
      ) : (
        <>
          <Tabs tab={tab} onTab={setTab} open={open + rejections} admin={staff.role === 'admin'} />
          {tab === 'counter' ? <Counter db={db} clock={clock} paper={config.paper} printer={bridge} scanner={scanner} staff={staff} afterCommit={afterCommit}
            keyIdNumber={(idNumber) => sync.ask('/api/residents/id-number', { idNumber })} askPhone={(phone) => sync.ask('/api/residents/phone', { phone }, PHONE_CHECK_MS)} />
            : tab === 'service' ? <ServiceScreen db={db} clock={clock} scanner={scanner} staffId={staff.staffId} afterCommit={afterCommit} />
              : tab === 'donations' ? <DonationScreen db={db} clock={clock} scanner={scanner} paper={config.paper} printer={bridge} staffId={staff.staffId} afterCommit={afterCommit} />
                : tab === 'goods' ? <GoodsScreen db={db} clock={clock} scanner={scanner} paper={config.paper} printer={bridge} staffId={staff.staffId} afterCommit={afterCommit} />
                  : tab === 'shops' ? <ShopsScreen db={db} clock={clock} paper={config.paper} printer={bridge} staff={staff} afterCommit={afterCommit} />
                    : tab === 'reports' ? <ReportsScreen db={db} clock={clock} paper={config.paper} printer={bridge} />
                      : tab === 'rules' && staff.role === 'admin' ? <RulesScreen db={db} clock={clock} staffId={staff.staffId} afterCommit={afterCommit} />
                        : <Exceptions db={db} clock={clock} staffId={staff.staffId} afterCommit={afterCommit} />}
        </>
      )}
      </Suspense>
    </LangContext.Provider>
  );
}

const READY_KEY = 'linli.ready';
/**
 * Whether this kiosk was paired and held its centre when it last ran, read once at start: then its
 * sign-in (the screen it opens to) is drawn at once and takes a staff card's scan while the
 * database opens, which on a PC holding a whole centre takes a while (cold_start_to_scan_ready).
 * Staff signing in wait for the database then; a kiosk found unpaired after all shows pairing.
 */
const wasReady = (() => {
  try {
    return localStorage.getItem(READY_KEY) === '1';
  } catch {
    return false;
  }
})();

function rememberReady(ready: boolean): void {
  try {
    if (ready) localStorage.setItem(READY_KEY, '1');
    else localStorage.removeItem(READY_KEY);
  } catch {
    // Storage refused: the next start waits for the database, as without the hint.
  }
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

/** Asked at sign-out when today's day summary is not printed yet: print it, sign out anyway, or stay. */
function Closing({ onPrint, onSignOut, onStay }: { onPrint(): void; onSignOut(): void; onStay(): void }) {
  const { t } = useWords();
  return (
    <div className="overlay">
      <div role="dialog" aria-modal="true" aria-labelledby="closing-text" className="dialog">
        <p id="closing-text">{t.closingText}</p>
        <div className="actions">
          <button className="secondary" onClick={onStay}>{t.closingStay}</button>
          <button className="secondary" onClick={onSignOut}>{t.closingSignOut}</button>
          <button className="primary" onClick={onPrint}>{t.closingPrint}</button>
        </div>
      </div>
    </div>
  );
}

/** The touchscreen, with the sync status in its words. */
function SelfService({ state, pending, ...props }: Omit<Parameters<typeof SelfServiceApp>[0], 'status'> & { state: SyncState; pending: number }) {
  const { t } = useWords();
  return <SelfServiceApp {...props} status={{ ...syncLabel(t, { paired: true, state, pending, download: null }), pending }} />;
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
  device: { centreName: string; deviceCode: string; profile: string } | null; state: SyncState; pending: number; rejections: number; staff: StaffSession | null;
  /** The first download's progress while it runs, or null. */
  download: SyncProgress | null;
  onLang(): void; onSignOut(): void; onExport: (() => void) | null;
  /** Closes the Electron kiosk: given for a signed-in admin only. */
  onExitKiosk: (() => void) | null;
  /** Opens the admin app: given for a signed-in admin only. */
  onOpenAdmin: (() => void) | null;
};

/**
 * The admin app for an admin at a kiosk: Electron opens it in a window of its own over the kiosk
 * (`linli.openAdmin`); a browser kiosk, served by the server, in a new tab of the same origin.
 * Either way the admin signs in there with the admin password.
 */
function openAdminApp(bridge: LinliBridge | null, serverUrl: string): void {
  if (bridge) void bridge.openAdmin();
  else window.open(new URL('/admin.html', serverUrl).href, '_blank', 'noopener');
}

/** The larger-type switch of a staff screen: this device only, kept across reloads. */
function LargeTypeToggle() {
  const { t } = useWords();
  const [on, setOn] = useState(largeTypeOn);
  return (
    <button className="lang" aria-pressed={on} onClick={() => { setLargeType(!on); setOn(!on); }}>{t.largeType}</button>
  );
}

function Header({ device, state, pending, rejections, staff, download, onLang, onSignOut, onExport, onExitKiosk, onOpenAdmin }: HeaderProps) {
  const { t } = useWords();
  const { text: label, tone } = syncLabel(t, { paired: device !== null, state, pending, download });
  return (
    <header className="top">
      {/* A canteen till or calling screen is the canteen, not the points store's counter. */}
      <h1>{device?.profile === 'canteen' ? t.canteenAppName : t.appName}</h1>
      {device && <span className="centre">{device.centreName} · {device.deviceCode}</span>}
      <span className={`sync sync-${tone}`} data-testid="sync-status" data-pending={pending} role="status">{label}</span>
      {rejections > 0 && <span className="rejections" role="alert">{t.rejected(rejections)}</span>}
      {staff && onExport && pending > 0 && <button className="secondary" onClick={onExport}>{t.exportOutbox}</button>}
      {staff && onOpenAdmin && <button className="secondary" onClick={onOpenAdmin}>{t.adminApp}</button>}
      {staff && <span className="staff">{t.signedInAs(staff.name)} <button className="secondary" onClick={onSignOut}>{t.signOut}</button>
        {onExitKiosk && <> <ExitKiosk pending={pending} onExit={onExitKiosk} /></>}</span>}
      {device && device.profile !== 'selfService' && <LargeTypeToggle />}
      <button className="lang" onClick={onLang}>{t.language}</button>
    </header>
  );
}
