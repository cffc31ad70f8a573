import { z } from 'zod';
import { Id, type LedgerEntry } from '../entities.js';
import { formatShanghai } from '../time/businessTime.js';
import { awardTallyIds } from './pointsAwarded.js';
import { balanceOf, type Effect, type StateView } from '../effects/effects.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { cutText, RequiredText } from '../text/text.js';

/**
 * A reversal (冲正) of a mistaken redemption or award: a compensating event with a reason and the
 * staff member (in its envelope). Points go back, goods return to the shelf, and the original is
 * marked reversed; nothing leaves the ledger. A reversal is never reversed (make the original
 * again instead), and an entry is reversed at most once.
 *
 * What is reversed is named by the original event: a redemption by its record, an award by its
 * ledger entry (`<event id>:0`).
 */
export const EntryReversedV1 = z.object({
  kind: z.literal('entryReversed'),
  version: z.literal(1),
  payload: z.object({
    target: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('redemption'), redemptionId: Id }),
      z.object({ kind: z.literal('ledgerEntry'), entryId: z.string().min(1).max(80).regex(/^[A-Za-z0-9_:-]+$/) }),
    ]),
    reason: RequiredText(200),
    /**
     * An award by rule's tallies (`awardTallies`), named so the server loads them with the entry:
     * the compensation gives back those of them the entry's rule and day make, and ignores others.
     */
    tallies: z.array(z.string().min(1).max(120).regex(/^tally:[A-Za-z0-9_:-]+$/)).max(2).optional(),
    /**
     * A resident's redemption at a partner shop moved points from the resident to the shop in two
     * entries of one event: the other one, compensated with the target (the shop gives back).
     */
    pair: z.string().min(1).max(80).regex(/^[A-Za-z0-9_:-]+$/).optional(),
  }),
});
type Reversal = z.infer<typeof EntryReversedV1>['payload'];

export const entryReversed = defineKind({
  versions: [EntryReversedV1],
  refs: ({ payload: { target, tallies = [], pair } }) => [
    target.kind === 'redemption' ? { table: 'redemptions', id: target.redemptionId, is: 'existing' } : { table: 'ledger', id: target.entryId, is: 'existing' },
    ...tallies.map((id) => ({ table: 'resources', id, is: 'any' }) as const),
    ...(pair ? [{ table: 'ledger', id: pair, is: 'existing' } as const] : []),
  ],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  check: ({ payload: { target, pair } }, view) => reversalRefusal(view, target, pair),
  apply: (view, { payload: { target, reason, pair } }, ctx) => ({ effects: compensation(view, target, reason, ctx.eventId, pair) }),
});

/** Why an entry cannot be reversed on `view`, as a server refusal, or null. */
function reversalRefusal(view: StateView, target: Reversal['target'], pair: string | undefined) {
  const why = cannotReverse(view, target)
    ?? (target.kind === 'ledgerEntry' && pairOf(view, target.entryId) !== (pair ?? null) ? 'unknown' : null)
    // The other side reversed already (a one-sided reversal made before pairs were named): not again.
    ?? (pair && view.row('ledger', pair)?.reversedBy ? 'reversed' : null);
  return why === null ? null : { key: 'refusedReversal' as const, params: { why } };
}

/**
 * The other entry of a resident's redemption at a shop (`<event>:0` the resident's, `<event>:1`
 * the shop's), which is reversed with it; null for any other entry.
 */
function pairOf(view: StateView, entryId: string): string | null {
  const e = view.row('ledger', entryId);
  if (!e || e.kind !== 'shopRedemption') return null;
  return e.id === `${e.eventId}:0` ? `${e.eventId}:1` : `${e.eventId}:0`;
}

/**
 * The ledger entries a reversal may name (besides a redemption's, reversed through the redemption):
 * an award, a donation's points, a resident's redemption at a shop. Hours are corrected instead
 * (their entry stays linked to the hours), and nothing else is reversed at the counter.
 */
export const REVERSIBLE_ENTRY_KINDS: ReadonlySet<string> = new Set(['pointsAwarded', 'donationReceived', 'shopRedemption']);

/** Why not: `reversed` (once only), `reversal` (a reversal is not reversed), `kind` (not an entry a reversal may name), `unknown`. */
function cannotReverse(view: StateView, target: Reversal['target']): 'reversed' | 'reversal' | 'kind' | 'unknown' | null {
  if (target.kind === 'redemption') {
    const r = view.row('redemptions', target.redemptionId);
    if (!r) return 'unknown';
    return r.reversedBy !== null ? 'reversed' : null;
  }
  const e = view.row('ledger', target.entryId);
  if (!e) return 'unknown';
  if (e.kind === 'entryReversed') return 'reversal';
  // A redemption's entry is reversed with its goods, through the redemption.
  if (e.category === 'redemption') return 'reversal';
  if (!REVERSIBLE_ENTRY_KINDS.has(e.kind)) return 'kind';
  return e.reversedBy !== null ? 'reversed' : null;
}

function compensation(view: StateView, target: Reversal['target'], reason: string, eventId: string, pair?: string): Effect[] {
  const memo = cutText(`冲正：${reason}`, 60);
  if (target.kind === 'redemption') {
    const r = view.row('redemptions', target.redemptionId);
    if (!r) return [];
    return [
      { type: 'ledger', accountId: r.accountId, delta: r.total, memo, category: 'correction' },
      ...r.lines.map((l): Effect => ({ type: 'stock', goodsId: l.goodsId, delta: l.quantity })),
      { type: 'record', table: 'redemptions', id: r.id, patch: { reversedBy: eventId } },
    ];
  }
  const e = view.row('ledger', target.entryId);
  if (!e) return [];
  const other = pair ? view.row('ledger', pair) : undefined;
  return [
    { type: 'ledger', accountId: e.accountId, delta: -e.delta, memo, category: 'correction' },
    { type: 'record', table: 'ledger', id: e.id, patch: { reversedBy: eventId } },
    ...capsGivenBack(view, e),
    ...(other ? [
      { type: 'ledger', accountId: other.accountId, delta: -other.delta, memo, category: 'correction' } as const,
      { type: 'record', table: 'ledger', id: other.id, patch: { reversedBy: eventId } } as const,
    ] : []),
  ];
}

/**
 * The tallies an award by rule counted against: its rule's, for its account, on the award's
 * business day and month (read from the entry's time). None for other entries.
 */
export function awardTallies(e: LedgerEntry): string[] {
  if (!e.ruleId || e.delta <= 0) return [];
  return awardTallyIds(e.ruleId, e.accountId, formatShanghai(Date.parse(e.at)).slice(0, 10));
}

/**
 * An award by rule reversed gives back what it took of the rule's caps, so the resident may earn
 * it again that day and month: of its tallies, those there are (a rule without a month cap has no
 * month tally).
 */
function capsGivenBack(view: StateView, e: LedgerEntry): Effect[] {
  return awardTallies(e).filter((id) => view.row('resources', id)).map((id): Effect => ({ type: 'use', resourceId: id, amount: -e.delta }));
}

/**
 * Decides a reversal on the kiosk: a reason, an entry that may be reversed, and for an award the
 * points still there to take back (an award already spent cannot be reversed at the counter: that
 * would overdraw the account; staff settle it otherwise).
 */
export function decideReversal(view: StateView, target: Reversal['target'], reason: string): Decision<Reversal> {
  const text = reason.trim();
  if (text.length === 0) return refuse('reversalReasonMissing', {});
  const why = cannotReverse(view, target);
  if (why !== null) return refuse('cannotReverse', { why });
  if (target.kind === 'ledgerEntry') {
    const e = view.row('ledger', target.entryId)!;
    // A shop's redemption is reversed whole: the points go back from the shop to the resident.
    const pair = pairOf(view, e.id);
    const other = pair ? view.row('ledger', pair) : undefined;
    if (pair && !other) return refuse('cannotReverse', { why: 'unknown' });
    if (other?.reversedBy) return refuse('cannotReverse', { why: 'reversed' });
    for (const x of [e, ...(other ? [other] : [])]) {
      const balance = balanceOf(view, x.accountId);
      if (x.delta > 0 && balance < x.delta) return refuse('insufficientPoints', { needed: x.delta, balance: Math.max(0, balance) });
    }
    if (pair) return accept({ target, reason: cutText(text, 200), pair });
    const tallies = awardTallies(e);
    if (tallies.length > 0) return accept({ target, reason: cutText(text, 200), tallies });
  }
  return accept({ target, reason: cutText(text, 200) });
}
