import { useEffect, useState } from 'react';
import { fenOf, type Message, type Resident, type SubsidyRule } from '../../../core/index.js';
import { approveEligibility, topUpMealBalance, type Clock } from '../store/actions.js';
import type { LinliDb } from '../store/db.js';
import { PayQr, usePaymentCode } from './PayQr.js';
import { useCanteenWords } from './words.js';

type Props = {
  db: LinliDb; clock: Clock; resident: Resident; rules: readonly SubsidyRule[]; staffId: string; afterCommit(): void; onError(m: Message | { text: string } | null): void;
};

const FLAG_WORDS: Record<string, string> = { lowIncome: '低保', extremeHardship: '特困', disabled: '失能', livesAlone: '独居', homeDelivery: '送餐上门' };

/**
 * What staff do for the resident at the till besides selling: top up the prepaid meal balance,
 * and approve a status category (低保, 特困, 失能) with its dates. Each asks for confirmation first.
 */
export function ResidentTools({ db, clock, resident, rules, staffId, afterCommit, onError }: Props) {
  const { w } = useCanteenWords();
  const [open, setOpen] = useState<'topUp' | 'approve' | null>(null);
  const [amount, setAmount] = useState('');
  const [payment, setPayment] = useState<'cash' | 'qr'>('cash');
  const payCode = usePaymentCode(db);
  // The code taken away (by a sync) while QR is chosen: back to cash, as the QR choice is off.
  useEffect(() => { if (payCode === null) setPayment('cash'); }, [payCode]);
  const statuses = rules.filter((r) => r.basis === 'status');
  const [category, setCategory] = useState('');
  const [validFrom, setValidFrom] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [note, setNote] = useState('');
  const flags = resident.flags.filter((f) => f !== 'homeDelivery' && f !== 'livesAlone').map((f) => FLAG_WORDS[f] ?? f);

  const finish = (r: { ok: true } | { ok: false; error: Message }, saved: string) => {
    onError(r.ok ? { text: saved } : r.error);
    if (r.ok) {
      afterCommit();
      setOpen(null);
    }
  };

  return (
    <div className="resident-tools">
      {flags.length > 0 && <p className="hint">{w.flagsHint(flags.join('、'))}</p>}
      <div className="actions">
        <button className="secondary" onClick={() => setOpen('topUp')}>{w.topUp}</button>
        {statuses.length > 0 && <button className="secondary" onClick={() => { setCategory(statuses[0]!.id); setOpen('approve'); }}>{w.approve}</button>}
      </div>
      {open && (
        <div className="overlay">
          <form role="dialog" aria-modal="true" aria-labelledby="tools-title" className="dialog form-grid" onSubmit={(e) => {
            e.preventDefault();
            if (open === 'topUp') void topUpMealBalance(db, clock, { residentId: resident.id, amountFen: fenOf(amount), payment }, staffId).then((r) => finish(r, w.savedWaiting));
            else void approveEligibility(db, clock, { residentId: resident.id, category, validFrom, validUntil, note }, staffId).then((r) => finish(r, w.approved));
          }}>
            <h2 id="tools-title">{open === 'topUp' ? w.topUp : w.approveTitle}</h2>
            {open === 'topUp' ? (
              <>
                <label>{w.amountYuan}<input name="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} autoFocus /></label>
                <div className="payments" role="radiogroup">
                  {(['cash', 'qr'] as const).map((p) => <button type="button" key={p} role="radio" aria-checked={payment === p} disabled={p === 'qr' && !payCode} onClick={() => setPayment(p)}>{w.payments[p]}</button>)}
                </div>
                {payment === 'qr' && payCode && fenOf(amount) > 0 && <PayQr code={payCode} amountFen={fenOf(amount)} />}
              </>
            ) : (
              <>
                <label>{w.category}
                  <select name="category" value={category} onChange={(e) => setCategory(e.target.value)}>
                    {statuses.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
                  </select>
                </label>
                <label>{w.validFrom}<input name="validFrom" type="date" value={validFrom} onChange={(e) => setValidFrom(e.target.value)} /></label>
                <label>{w.validUntil}<input name="validUntil" type="date" value={validUntil} onChange={(e) => setValidUntil(e.target.value)} /></label>
                <label>{w.note}<input name="note" value={note} maxLength={100} onChange={(e) => setNote(e.target.value)} /></label>
              </>
            )}
            <div className="actions">
              <button type="button" className="secondary" onClick={() => setOpen(null)}>{w.cancel}</button>
              <button type="submit" className="primary" disabled={open === 'topUp' && payment === 'qr' && !payCode}>{w.confirm}</button>
            </div>
          </form>
        </div>
      )}
    </div>
  );
}
