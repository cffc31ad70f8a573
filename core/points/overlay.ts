import type { EventBody } from '../events/events.js';
import { apply, type LedgerView, type RuleException } from './rules.js';

/**
 * Runs events over a base view and answers the changed balances and stocks. The kiosk shows
 * its replica with its pending events laid over it this way; the property tests run whole
 * histories through it.
 */
export type Overlay = {
  view: LedgerView;
  balances: ReadonlyMap<string, number>;
  stocks: ReadonlyMap<string, number>;
  exceptions: RuleException[];
};

/** Applies `events` in order over `base`. */
export function overlay(base: LedgerView, events: Iterable<EventBody>): Overlay {
  const balances = new Map<string, number>();
  const stocks = new Map<string, number>();
  const view: LedgerView = {
    balance: (id) => balances.get(id) ?? base.balance(id),
    stock: (id) => stocks.get(id) ?? base.stock(id),
  };
  const exceptions: RuleException[] = [];
  for (const event of events) {
    const result = apply(view, event);
    for (const e of result.effects) {
      if (e.type === 'ledger') balances.set(e.accountId, view.balance(e.accountId) + e.delta);
      else stocks.set(e.goodsId, view.stock(e.goodsId) + e.delta);
    }
    exceptions.push(...result.exceptions);
  }
  return { view, balances, stocks, exceptions };
}

/** A view over plain maps; an unknown id reads as 0. */
export function mapView(balances: ReadonlyMap<string, number>, stocks: ReadonlyMap<string, number>): LedgerView {
  return { balance: (id) => balances.get(id) ?? 0, stock: (id) => stocks.get(id) ?? 0 };
}
