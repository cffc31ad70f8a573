import { missingCase } from '../missingCase.js';
import type { EventBody } from './events.js';

/** The ids of the centre's entities an event names. */
export type References = { accountIds: string[]; residentIds: string[]; goodsIds: string[] };

/**
 * Which accounts, residents and goods an event names: what the kiosk must read to lay it over
 * its replica, and what the server must find in the device's centre before applying it.
 */
export function referencedIds(event: EventBody): References {
  switch (event.kind) {
    case 'pointsAwarded':
      return { accountIds: [event.payload.accountId], residentIds: [], goodsIds: [] };
    case 'goodsRedeemed':
      return { accountIds: [event.payload.accountId], residentIds: [event.payload.residentId], goodsIds: event.payload.lines.map((l) => l.goodsId) };
    case 'stockReceived':
      return { accountIds: [], residentIds: [], goodsIds: [event.payload.goodsId] };
    case 'exceptionResolved': {
      const p = event.payload;
      return { accountIds: p.accountId ? [p.accountId] : [], residentIds: [], goodsIds: p.goodsId ? [p.goodsId] : [] };
    }
    default:
      return missingCase(event);
  }
}
