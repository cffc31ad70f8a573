import { z } from 'zod';
import type { DeviceProfile } from '../devices/profiles.js';
import { exceptionResolved } from '../exceptions/exceptionResolved.js';
import { stockReceived } from '../goods/stockReceived.js';
import { goodsRedeemed } from '../points/goodsRedeemed.js';
import { pointsAwarded } from '../points/pointsAwarded.js';
import { residentRegistered } from '../residents/residentRegistered.js';
import { cardReplaced } from '../residents/cardReplaced.js';
import { donationReceived, donationValueSet } from '../goods/donationReceived.js';
import { goodsAdded, goodsChanged } from '../goods/goodsCatalogue.js';
import { goodsPhotoSet } from '../goods/goodsPhoto.js';
import { stockCounted } from '../goods/stockReceived.js';
import { earningRuleSet } from '../points/earningRules.js';
import { partnerShopSet, shopRedemption } from '../points/partnerShops.js';
import { entryReversed } from '../points/reversal.js';
import { serviceCertified, serviceCorrected } from '../volunteering/serviceHours.js';
import { staffSet } from '../staff/staffSet.js';
import { residentsImported, residentsRemoved, residentUpdated } from '../residents/residentsImported.js';
import { serviceScheduled } from '../services/serviceScheduled.js';
import type { StaffRole } from '../staff/staff.js';
import { eligibilityApproved } from '../canteen/eligibilityApproved.js';
import { mainTillClaimed } from '../canteen/mainTillClaimed.js';
import { mealAccountOpened } from '../canteen/mealAccountOpened.js';
import { mealBalanceToppedUp } from '../canteen/mealBalanceToppedUp.js';
import { menuChanged } from '../canteen/menuChanged.js';
import { mealOffered } from '../canteen/mealOffered.js';
import { mealBooked } from '../canteen/mealBooked.js';
import { mealBookingCancelled } from '../canteen/mealBookingCancelled.js';
import { mealDelivered } from '../canteen/mealDelivered.js';
import { mealSold } from '../canteen/mealSold.js';
import { sittingCapacitySet } from '../canteen/sittingCapacitySet.js';
import { sittingPublished } from '../canteen/sittingPublished.js';
import { standingBookingSet } from '../canteen/standingBookingSet.js';
import { subsidyRuleSet } from '../canteen/subsidyRuleSet.js';
import { paymentCodeSet } from '../canteen/paymentCodeSet.js';
import { ticketCalled } from '../canteen/ticketCalled.js';
import { ticketFinished } from '../canteen/ticketFinished.js';
import type { LookupView, StateView } from '../effects/effects.js';
import type { Message } from '../i18n/messages.js';
import type { Applied, Body, KindContext, KindSpec, Ref } from './kind.js';

/**
 * Every kind of event, by name. This is the one list: the event union, the kinds each role and
 * profile may do, and every table keyed by kind derive from it. Adding a kind is a file in the
 * folder of its domain word and a line here; the compiler then points at every `Record<EventKind,
 * …>` that needs a word for it (the kiosk's screen words, the ledger's).
 */
export const KINDS = {
  pointsAwarded,
  goodsRedeemed,
  stockReceived,
  exceptionResolved,
  residentRegistered,
  cardReplaced,
  earningRuleSet,
  serviceCertified,
  serviceCorrected,
  donationReceived,
  donationValueSet,
  goodsAdded,
  goodsChanged,
  goodsPhotoSet,
  stockCounted,
  partnerShopSet,
  shopRedemption,
  entryReversed,
  staffSet,
  residentsImported,
  residentsRemoved,
  residentUpdated,
  serviceScheduled,
  sittingPublished,
  sittingCapacitySet,
  menuChanged,
  mealOffered,
  mainTillClaimed,
  subsidyRuleSet,
  paymentCodeSet,
  eligibilityApproved,
  mealBooked,
  mealBookingCancelled,
  mealSold,
  ticketCalled,
  ticketFinished,
  standingBookingSet,
  mealDelivered,
  mealAccountOpened,
  mealBalanceToppedUp,
} as const;

type Kinds = typeof KINDS;
/** The name of a kind of event. */
export type EventKind = keyof Kinds;
type BodyOfSpec<S> = S extends KindSpec<infer B> ? B : never;
/** Kind and payload of every event, discriminated by kind (each kind a union of its versions). */
export type EventBody = { [K in EventKind]: BodyOfSpec<Kinds[K]> }[EventKind];
/** The body of one kind. */
export type BodyOf<K extends EventKind> = Extract<EventBody, { kind: K }>;

/** Every kind, in the order of the list. */
export const EVENT_KINDS = Object.keys(KINDS) as EventKind[];

const loose = (kind: EventKind) => KINDS[kind] as unknown as KindSpec<Body>;

/** The body schema of every kind at every version it ever shipped. */
export const EventBody = z.discriminatedUnion('kind', EVENT_KINDS.map((k) => {
  const versions = loose(k).versions as unknown as z.ZodObject[];
  return versions.length === 1 ? versions[0]! : z.discriminatedUnion('version', versions as [z.ZodObject, z.ZodObject, ...z.ZodObject[]]);
}) as unknown as [z.ZodObject, ...z.ZodObject[]]) as unknown as z.ZodType<EventBody>;

/** The rows an event names. */
export function refsOf(body: EventBody): Ref[] {
  return loose(body.kind).refs(body);
}

/** The effects of an event on `view` and the exceptions its kind raises (the fold adds its own). */
export function applyEvent(view: StateView, body: EventBody, ctx: KindContext): Applied {
  return loose(body.kind).apply(view, body, ctx);
}

/** Why an event is invalid in itself on `view` beyond its refs (the kind's own check), or null. */
export function kindCheck(body: EventBody, view: LookupView): Message | null {
  return loose(body.kind).check?.(body, view) ?? null;
}

/** The kinds each profile may push, from the kinds' own declarations. */
export const PROFILE_KINDS = Object.fromEntries(
  (['selfService', 'counter', 'canteen'] as const).map((p) => [p, EVENT_KINDS.filter((k) => KINDS[k].profiles.includes(p as never))]),
) as Record<DeviceProfile, EventKind[]>;

/** Whether a device of `profile` may push an event of `kind`. */
export function profileMayPush(profile: DeviceProfile, kind: EventKind): boolean {
  return (KINDS[kind].profiles as readonly DeviceProfile[]).includes(profile);
}

/** Whether staff of `role` may do an event of `kind`. Admins may do every kind. */
export function roleMayDo(role: StaffRole, kind: EventKind): boolean {
  return role === 'admin' || (KINDS[kind].roles as readonly StaffRole[]).includes(role);
}

/** Whether a resident does `kind` alone at a self-service device, so the event names no staff. */
export function isSelfServiceKind(kind: EventKind): boolean {
  return KINDS[kind].selfService;
}
