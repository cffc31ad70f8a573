import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { entryWords, idlePhase, MEAL_NAMES, SELF_SERVICE_COUNTDOWN_MS, SELF_SERVICE_IDLE_MS, type Goods, type Lang, type LinliBridge } from '../../../core/index.js';
import { LangContext } from '../i18n.js';
import type { WedgeConfig } from '../scan/burst.js';
import { listenForScans } from '../scan/wedge.js';
import { CameraPanel } from '../screens/CameraPanel.js';
import { bookMeal, type Clock } from '../store/actions.js';
import type { DeviceMeta, LinliDb } from '../store/db.js';
import { shownGoods, shownGoodsPhotos } from '../store/view.js';
import { useReplicaQuery } from '../canteen/useReplica.js';
import { cardHasherFromToken, type CardHasher } from './cardKey.js';
import { bookableSittings, findByCard, personOf, type OfferedSitting, type Person } from './replica.js';
import { Timetable } from './Timetable.js';
import { Voice, type VoiceState } from './voice.js';
import { sayDay, SELF_SERVICE_WORDS, type SelfServiceWords } from './words.js';
import './selfService.css';

type Props = {
  db: LinliDb; clock: Clock; bridge: LinliBridge | null; device: DeviceMeta; scanner: WedgeConfig; afterCommit(): void;
  /** The sync status the header shows (made by the app, as on every screen). */
  status: { text: string; tone: string; pending: number };
  /** Without a touch this long the countdown starts, and it lasts `countdownMs` (tests drive a clock instead of waiting). */
  idleMs?: number; countdownMs?: number;
};
type Screen = 'home' | 'scan' | 'goods' | 'meals' | 'services' | 'person';

/**
 * The self-service touchscreen (issue 13): no sign-in. A resident scans their card and sees their
 * balance at once (no tap), the last entries in plain words, the goods they can have now and the
 * meals they may book; or looks at the goods, the meals and the week's services without a card.
 * Chinese first with an English toggle, voice on by default, large type and targets, nothing but
 * masked names. A minute without a touch brings a countdown, then home, and the person is gone
 * from the screen and from memory (the scanned code is never kept: it is hashed and dropped).
 */
export function SelfServiceApp({ db, clock, bridge, device, scanner, afterCommit, status, idleMs = SELF_SERVICE_IDLE_MS, countdownMs = SELF_SERVICE_COUNTDOWN_MS }: Props) {
  const { lang, setLang } = useContext(LangContext);
  const w: SelfServiceWords = SELF_SERVICE_WORDS[lang];
  const [screen, setScreen] = useState<Screen>('home');
  const [person, setPerson] = useState<Person | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<OfferedSitting | null>(null);
  const [camera, setCamera] = useState(false);
  const [voiceOn, setVoiceOn] = useState(true);
  const [voiceState, setVoiceState] = useState<VoiceState>('checking');
  const [countdown, setCountdown] = useState<number | null>(null);
  const voice = useMemo(() => new Voice(setVoiceState), []);
  useEffect(() => () => voice.hush(), [voice]);
  // The staff screens' larger type is not this screen's: it has its own sizes (a profile once a counter may carry the setting).
  useEffect(() => {
    document.documentElement.classList.remove('large-type');
  }, []);
  const hash: CardHasher = useMemo(
    () => (bridge ? async (text: string) => (await bridge.cardHash(text)) ?? '' : cardHasherFromToken(device.token)),
    [bridge, device.token],
  );

  // What the voice says follows the switch and the language at the moment it speaks.
  const live = useRef({ voiceOn, lang });
  live.current = { voiceOn, lang };
  const say = useCallback((text: string) => {
    if (live.current.voiceOn) voice.say(text, live.current.lang);
  }, [voice]);

  /** Home, with nothing of the person left: their screen, a booking asked, the camera. */
  const clear = useCallback(() => {
    setPerson(null);
    setConfirming(null);
    setDone(null);
    setCamera(false);
    setCountdown(null);
    setScreen('home');
  }, []);
  /** Home after bad input: the message written and spoken, nothing changed. */
  const homeWith = useCallback((message: string) => {
    clear();
    setNotice(message);
    say(message);
  }, [clear, say]);
  /** The next person gets the screen as it starts: Chinese, voice on, home. */
  const reset = useCallback(() => {
    voice.hush();
    clear();
    setNotice(null);
    setVoiceOn(true);
    setLang('zh');
  }, [voice, clear, setLang]);

  // ---- idle reset: a clock the tests drive (page.clock), phases from core ----
  const lastTouch = useRef(clock.now());
  const [touches, setTouches] = useState(0);
  const touch = useCallback(() => {
    lastTouch.current = clock.now();
    setCountdown(null);
    setTouches((n) => n + 1);
  }, [clock]);
  useEffect(() => {
    const events = ['pointerdown', 'keydown'] as const;
    for (const e of events) addEventListener(e, touch, { capture: true, passive: true });
    return () => {
      for (const e of events) removeEventListener(e, touch, { capture: true });
    };
  }, [touch]);
  const inUse = screen !== 'home' || notice !== null || lang !== 'zh' || !voiceOn;
  const countdownSaid = useRef(false);
  useEffect(() => {
    if (!inUse) return;
    countdownSaid.current = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      const phase = idlePhase(lastTouch.current, clock.now(), idleMs, countdownMs);
      if (phase.kind === 'reset') return reset();
      if (phase.kind === 'active') {
        setCountdown(null);
        timer = setTimeout(check, phase.countdownInMs);
        return;
      }
      if (!countdownSaid.current) say(SELF_SERVICE_WORDS[live.current.lang].countdownSay);
      countdownSaid.current = true;
      setCountdown(phase.secondsLeft);
      timer = setTimeout(check, phase.msToNextSecond);
    };
    check();
    return () => clearTimeout(timer);
  }, [inUse, touches, clock, idleMs, countdownMs, reset, say]);

  // ---- the scan: balance at once, no tap ----
  const showCard = useCallback(async (code: string) => {
    performance.mark('selfservice-scan');
    const found = await findByCard(db, hash, code);
    const words = SELF_SERVICE_WORDS[live.current.lang];
    if (found.kind === 'notACard') return homeWith(words.notACard);
    if (found.kind === 'unknown') return homeWith(words.unknownCard);
    if (found.kind === 'replaced') return homeWith(words.replacedCard);
    const shown = await personOf(db, found.resident, clock.now());
    setNotice(null);
    setConfirming(null);
    setDone(null);
    setCamera(false);
    setPerson(shown);
    setScreen('person');
    say(words.balanceSay(shown.balance));
  }, [db, hash, clock, homeWith, say]);
  const onScanRef = useRef(showCard);
  onScanRef.current = showCard;
  useEffect(() => listenForScans(window, (code) => {
    touch();
    void onScanRef.current(code);
  }, scanner), [scanner, touch]);

  // The time from the scan to the balance on screen (bench/selfService.ts reads it).
  useEffect(() => {
    if (!person) return;
    requestAnimationFrame(() => setTimeout(() => {
      if (performance.getEntriesByName('selfservice-scan', 'mark').length > 0) performance.measure('selfservice-balance', 'selfservice-scan');
    }, 0));
  }, [person]);

  const go = (next: Screen, spoken: string | null) => {
    setNotice(null);
    setScreen(next);
    if (spoken) say(spoken);
  };

  const book = async (offered: OfferedSitting) => {
    if (!person) return;
    const r = await bookMeal(db, clock, { sittingId: offered.sitting.id, day: offered.sitting.day, mealId: offered.meal.id, residentId: person.resident.id, override: false }, null);
    setConfirming(null);
    if (!r.ok) return homeWith((w.refusals as Partial<Record<string, string>>)[r.error.key] ?? w.refusedOther);
    const what = `${sayDay(offered.sitting.day, lang)} ${MEAL_NAMES[offered.sitting.meal][lang]}`;
    setDone(w.bookedSay(what));
    say(w.bookedSay(what));
    // Read before the sync starts: a pull landing between personOf's reads of the replica and of
    // the outbox showed the booking as neither pending nor merged, so not booked.
    setPerson(await personOf(db, person.resident, clock.now()));
    afterCommit();
  };

  return (
    <div className="self-service" data-testid="self-service">
      <header className="ss-top">
        <h1>{w.title}</h1>
        <span className="ss-centre">{device.centreName}</span>
        <span className={`sync sync-${status.tone}`} data-testid="sync-status" data-pending={status.pending} role="status">{status.text}</span>
        <button className="ss-small" aria-pressed={voiceOn} onClick={() => {
          if (voiceOn) voice.hush();
          setVoiceOn(!voiceOn);
        }}>{voiceOn ? w.voiceOn : w.voiceOff}</button>
        <button className="ss-small" lang={lang === 'zh' ? 'en' : 'zh-CN'} aria-label={w.otherLabel} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>{w.other}</button>
      </header>
      {voiceState === 'noVoice' && voiceOn && <p className="ss-voice-missing" role="status" data-testid="no-voice">{w.noVoice}</p>}
      {countdown !== null && (
        <div className="ss-countdown" role="alert" data-testid="countdown">
          <span>{w.countdown(countdown)}</span>
          <button className="ss-primary" onClick={touch}>{w.keepGoing}</button>
        </div>
      )}
      <main className="ss-main">
        {screen === 'home' ? <Home w={w} notice={notice} onGo={go} />
          : screen === 'scan' ? (
            <section className="ss-scan" aria-labelledby="ss-scan-title">
              <h2 id="ss-scan-title">{w.scanTitle}</h2>
              <p className="ss-lead">{w.scanHow}</p>
              {camera ? <CameraPanel onScan={(code) => void showCard(code)} onClose={() => setCamera(false)} />
                : <button className="ss-secondary" onClick={() => setCamera(true)}>{w.camera}</button>}
              <HomeButton w={w} onHome={clear} />
            </section>
          )
          : screen === 'goods' ? <GoodsScreen db={db} w={w} onHome={clear} />
          : screen === 'meals' ? <MealsScreen db={db} clock={clock} w={w} lang={lang} onHome={clear} />
          : screen === 'services' ? <ServicesScreen db={db} clock={clock} w={w} lang={lang} onHome={clear} />
          : person ? (
            <PersonScreen person={person} w={w} lang={lang} done={done} confirming={confirming}
              onBook={(o) => {
                setConfirming(o);
                say(w.confirmSay(`${sayDay(o.sitting.day, lang)}${MEAL_NAMES[o.sitting.meal][lang]}`));
              }}
              onConfirm={() => confirming && void book(confirming)} onCancel={() => setConfirming(null)} onHome={clear} />
          ) : null}
      </main>
    </div>
  );
}

function HomeButton({ w, onHome }: { w: SelfServiceWords; onHome(): void }) {
  return <button className="ss-home" onClick={onHome}>{w.home}</button>;
}

function Home({ w, notice, onGo }: { w: SelfServiceWords; notice: string | null; onGo(s: Screen, spoken: string | null): void }) {
  return (
    <section className="ss-home-screen" aria-labelledby="ss-welcome">
      {notice && <p className="ss-notice" role="alert" data-testid="ss-notice">{notice}</p>}
      <h2 id="ss-welcome">{w.welcome}</h2>
      <div className="ss-big-buttons">
        {(['scan', 'goods', 'meals', 'services'] as const).map((k) => (
          <button key={k} className={`ss-big ss-big-${k}`} onClick={() => onGo(k, k === 'scan' ? w.scanSay : k === 'goods' ? w.goodsSay : k === 'meals' ? w.mealsSay : w.servicesSay)}>
            <span className="ss-big-label">{w.buttons[k]}</span>
            <span className="ss-big-hint">{w.hints[k]}</span>
          </button>
        ))}
      </div>
    </section>
  );
}

function GoodsTile({ g, w, photo }: { g: Goods; w: SelfServiceWords; photo: string | undefined }) {
  return (
    <li className={photo ? 'ss-goods with-photo' : 'ss-goods'}>
      {photo && <img className="ss-goods-photo" src={photo} alt="" />}
      <span className="ss-goods-name">{g.name}</span>
      <span className="ss-goods-price">{w.price(g.pointPrice)}</span>
      <span className="ss-goods-stock">{w.stock(g.stock)}</span>
    </li>
  );
}

function GoodsScreen({ db, w, onHome }: { db: LinliDb; w: SelfServiceWords; onHome(): void }) {
  const goods = useReplicaQuery(db, () => shownGoods(db), [db], [] as Goods[]);
  const photos = useReplicaQuery(db, () => shownGoodsPhotos(db), [db], new Map<string, string>());
  return (
    <section className="ss-list-screen" aria-labelledby="ss-goods-title">
      <div className="ss-title-row">
        <h2 id="ss-goods-title">{w.goodsTitle}</h2>
        <HomeButton w={w} onHome={onHome} />
      </div>
      {/* A long list scrolls in its box; focusable, so a keyboard (a helper's) can scroll it too. */}
      <ul className="ss-goods-grid" data-testid="ss-goods" tabIndex={0} aria-labelledby="ss-goods-title">
        {goods.map((g) => <GoodsTile key={g.id} g={g} w={w} photo={photos.get(g.id)} />)}
      </ul>
    </section>
  );
}

function SittingLine({ o, w, lang }: { o: OfferedSitting; w: SelfServiceWords; lang: Lang }) {
  return (
    <span className="ss-sitting-text">
      <strong>{w.sitting(o.sitting.day, MEAL_NAMES[o.sitting.meal][lang], o.sitting.opensAt)}</strong>
      <span>{o.meal.name}</span>
      <span>{w.placesLeft(o.placesLeft)} · {w.cutoff(o.sitting.bookingCutoff)}</span>
    </span>
  );
}

function MealsScreen({ db, clock, w, lang, onHome }: { db: LinliDb; clock: Clock; w: SelfServiceWords; lang: Lang; onHome(): void }) {
  const sittings = useReplicaQuery(db, () => bookableSittings(db, clock.now(), null), [db, clock], [] as OfferedSitting[]);
  return (
    <section className="ss-list-screen" aria-labelledby="ss-meals-title">
      <div className="ss-title-row">
        <h2 id="ss-meals-title">{w.mealsTitle}</h2>
        <HomeButton w={w} onHome={onHome} />
      </div>
      <p className="ss-lead">{w.mealsHow}</p>
      {sittings.length === 0 ? <p className="ss-lead">{w.noMeals}</p> : (
        <ul className="ss-sittings" data-testid="ss-sittings">
          {sittings.map((o) => <li key={o.sitting.id}><SittingLine o={o} w={w} lang={lang} /></li>)}
        </ul>
      )}
    </section>
  );
}

function ServicesScreen({ db, clock, w, lang, onHome }: { db: LinliDb; clock: Clock; w: SelfServiceWords; lang: Lang; onHome(): void }) {
  return (
    <section className="ss-list-screen" aria-labelledby="ss-services-title">
      <div className="ss-title-row">
        <h2 id="ss-services-title">{w.servicesTitle}</h2>
        <HomeButton w={w} onHome={onHome} />
      </div>
      <Timetable db={db} clock={clock} w={w} lang={lang} />
    </section>
  );
}

type PersonProps = {
  person: Person; w: SelfServiceWords; lang: Lang; done: string | null; confirming: OfferedSitting | null;
  onBook(o: OfferedSitting): void; onConfirm(): void; onCancel(): void; onHome(): void;
};

/** After a scan: the balance first and biggest, then what it means. */
function PersonScreen({ person, w, lang, done, confirming, onBook, onConfirm, onCancel, onHome }: PersonProps) {
  const more = person.affordable.length - 6;
  return (
    <section className="ss-person" aria-labelledby="ss-hello" data-testid="ss-person">
      <div className="ss-person-main">
        <h2 id="ss-hello">{w.hello(person.resident.name)}</h2>
        <p className="ss-balance" data-testid="ss-balance"><span>{w.balance}</span> <strong>{person.balance}</strong> <span>{w.points}</span></p>
        <h3>{w.entries}</h3>
        {person.entries.length === 0 ? <p>{w.noEntries}</p> : (
          <ul className="ss-entries" data-testid="ss-entries">
            {person.entries.map((e) => <li key={e.id}>{entryWords(e, lang)}</li>)}
          </ul>
        )}
      </div>
      <div className="ss-person-side">
        <h3>{w.affordable}</h3>
        {person.affordable.length === 0 ? <p>{w.noneAffordable}</p> : (
          <>
            <ul className="ss-affordable" data-testid="ss-affordable">
              {person.affordable.slice(0, 6).map((g) => <li key={g.id}><span>{g.name}</span> <span className="ss-goods-price">{w.price(g.pointPrice)}</span></li>)}
            </ul>
            <p className="ss-hint">{more > 0 ? `${w.affordableHint} (+${more})` : w.affordableHint}</p>
          </>
        )}
        <h3>{w.mealsTitle}</h3>
        {done && <p className="ss-done" role="status" data-testid="ss-booked">{done}</p>}
        {confirming ? (
          <div className="ss-confirm" data-testid="ss-confirm">
            <p>{w.confirmBook(`${sayDay(confirming.sitting.day, lang)} ${MEAL_NAMES[confirming.sitting.meal][lang]}`, confirming.meal.name)}</p>
            <div className="ss-actions">
              <button className="ss-primary" onClick={onConfirm}>{w.confirmYes}</button>
              <button className="ss-secondary" onClick={onCancel}>{w.confirmNo}</button>
            </div>
          </div>
        ) : person.sittings.length === 0 ? <p>{w.noMeals}</p> : (
          <ul className="ss-sittings" data-testid="ss-sittings">
            {person.sittings.map((o) => (
              <li key={o.sitting.id} data-sitting={o.sitting.id}>
                <SittingLine o={o} w={w} lang={lang} />
                {o.booked ? <span className="ss-booked-mark">{w.booked}</span>
                  : o.placesLeft > 0 && <button className="ss-primary" onClick={() => onBook(o)}>{w.book}</button>}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="ss-person-foot"><HomeButton w={w} onHome={onHome} /></div>
    </section>
  );
}
