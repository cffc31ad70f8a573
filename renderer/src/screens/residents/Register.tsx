import { useState } from 'react';
import { PhoneAnswer, phoneOnFile, ResidentFlag, type LinliBridge, type Message, type Paper, type RegistrationForm, type Resident } from '../../../../core/index.js';
import { useLocalWords, useWords } from '../../i18n.js';
import { checkRegistration, registerResident, type Clock, type KeyIdNumber } from '../../store/actions.js';
import type { LinliDb } from '../../store/db.js';
import { ConfirmDialog } from '../shared/Dialog.js';
import { addressOf } from '../shared/ResidentSearch.js';
import { sharedWords } from '../shared/words.js';
import { CardPrint } from './CardPrint.js';
import { residentWords } from './words.js';

type Props = {
  db: LinliDb; clock: Clock; staffId: string; printer: LinliBridge | null; paper: Paper; residents: readonly Resident[]; keyIdNumber?: KeyIdNumber | undefined;
  askPhone?: ((phone: string) => Promise<unknown>) | undefined;
  afterCommit(): void; onOpen(cardCode: string): void; onBack(): void;
};

const EMPTY: RegistrationForm = { name: '', phone: '', building: '', room: '', birthDate: '', flags: [], idNumber: '' };

/**
 * Registering a walk-in resident (居民登记): name, phone, building and room, birth date and the
 * flags the canteen and staff need; then the card prints. A phone already on file is shown with
 * who has it before registering: online, the server says who has the very number (and who has its
 * last four digits without a full number on file); offline, the kiosk's phone tails are all it has.
 * An ID number, when given, is checked here (GB 11643) and then masked and keyed by the server,
 * online only; a number already registered is refused with who has it.
 */
export function Register({ db, clock, staffId, printer, paper, residents, keyIdNumber, askPhone, afterCommit, onOpen, onBack }: Props) {
  const w = useLocalWords(residentWords);
  const s = useLocalWords(sharedWords);
  const { say } = useWords();
  const [form, setForm] = useState<RegistrationForm>(EMPTY);
  const [error, setError] = useState<Message | null>(null);
  const [samePhone, setSamePhone] = useState<{ phone: string; full: boolean; people: Pick<Resident, 'id' | 'name' | 'cardCode'>[] } | null>(null);
  const [done, setDone] = useState<{ eventId: string; resident: Resident } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<RegistrationForm>) => setForm((f) => ({ ...f, ...patch }));

  const register = async (checkedPhone: boolean) => {
    const phone = form.phone.replace(/[\s-]/g, '');
    setSamePhone(null);
    setBusy(true);
    try {
      if (!checkedPhone && /^1[3-9]\d{9}$/.test(phone)) {
        // The form's own mistakes first: the question about the phone comes once it is right.
        const wrong = await checkRegistration(db, clock, form);
        if (wrong) return setError(wrong);
        const answer = askPhone ? await askPhone(phone).then((a) => PhoneAnswer.parse(a)).catch(() => null) : null;
        const found = phoneOnFile(phone, residents, answer);
        setError(null);
        if (found.people.length > 0) return setSamePhone({ phone, ...found });
      }
      const r = await registerResident(db, clock, form, staffId, keyIdNumber);
      if (!r.ok) return setError(r.error);
      setError(null);
      setDone({ eventId: r.value.event.id, resident: r.value.resident });
      afterCommit();
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section className="register done" data-testid="registered">
        <p className="notice" role="status">{w.registered(done.resident.name, done.resident.cardCode)}</p>
        <CardPrint db={db} printer={printer} paper={paper} eventId={done.eventId} name={done.resident.name} cardCode={done.resident.cardCode} />
        <div className="actions">
          <button type="button" className="secondary" onClick={onBack}>{w.back}</button>
          <button type="button" className="primary" onClick={() => onOpen(done.resident.cardCode)}>{w.openResident}</button>
        </div>
      </section>
    );
  }

  return (
    <section className="register">
      <h2>{w.registerTitle}</h2>
      <form className="form-grid" onSubmit={(e) => { e.preventDefault(); void register(false); }}>
        <label>{w.name}<input name="name" value={form.name} maxLength={50} autoComplete="off" onChange={(e) => set({ name: e.target.value })} /></label>
        <label>{w.phone}<input name="phone" value={form.phone} inputMode="tel" maxLength={20} autoComplete="off" onChange={(e) => set({ phone: e.target.value })} /></label>
        <label>{w.building}<input name="building" value={form.building} maxLength={20} onChange={(e) => set({ building: e.target.value })} /></label>
        <label>{w.room}<input name="room" value={form.room} maxLength={20} onChange={(e) => set({ room: e.target.value })} /></label>
        <label>{w.idNumber}<input name="idNumber" value={form.idNumber ?? ''} maxLength={20} autoComplete="off" spellCheck={false} onChange={(e) => set({ idNumber: e.target.value })} /></label>
        <label>{w.birthDate}<input name="birthDate" value={form.birthDate} placeholder="1950-03-08" maxLength={10} onChange={(e) => set({ birthDate: e.target.value })} /></label>
        <fieldset className="flags">
          <legend>{w.flags}</legend>
          {ResidentFlag.options.map((f) => (
            <label key={f} className="check">
              <input type="checkbox" checked={form.flags.includes(f)} onChange={(e) => set({ flags: e.target.checked ? [...form.flags, f] : form.flags.filter((x) => x !== f) })} />
              {s.flags[f]}
            </label>
          ))}
        </fieldset>
        <p className="hint">{w.idNote}</p>
        <div className="actions">
          <button type="button" className="secondary" onClick={onBack}>{w.back}</button>
          <button type="submit" className="primary" disabled={busy}>{w.submit}</button>
        </div>
      </form>
      {error && <p className="error" role="alert">{say(error)}</p>}
      {samePhone && (
        <ConfirmDialog title={samePhone.full ? w.phoneTakenTitle(`${samePhone.phone.slice(0, 3)}****${samePhone.phone.slice(-4)}`) : w.samePhoneTitle(samePhone.phone.slice(-4))}
          confirmLabel={w.registerAnyway} busy={busy} onCancel={() => setSamePhone(null)} onConfirm={() => void register(true)}>
          <p>{samePhone.full ? w.phoneTakenBody : w.samePhoneBody}</p>
          <ul className="same-phone">{samePhone.people.map((p) => {
            const known = residents.find((r) => r.id === p.id);
            return <li key={p.id}><b>{p.name}</b> {known ? addressOf(known) : p.cardCode}</li>;
          })}</ul>
        </ConfirmDialog>
      )}
    </section>
  );
}
