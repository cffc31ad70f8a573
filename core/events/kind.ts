import type { z } from 'zod';
import type { DeviceProfile } from '../devices/profiles.js';
import type { Effect, LookupView, RaisedException, StateView } from '../effects/effects.js';
import type { Message } from '../i18n/messages.js';
import type { StaffRole } from '../staff/staff.js';
import type { TableName } from '../sync/tables.js';

/**
 * What a kind of event declares, once, in the folder of its domain word (`points/`, `goods/`,
 * `residents/`…): its body schema per version, the rows it names, who may do it, the checks that
 * make it invalid in itself, and its `apply`. Its `decide` (the kiosk's rule, with its own
 * arguments) sits in the same file. The registry (`events/registry.ts`) lists every kind; every
 * table keyed by kind is a `Record<EventKind, …>`, so a kind that misses one does not compile.
 */

/**
 * A row an event names, so the server can check tenancy and existence for every kind alike:
 * by id, or by another field that must be unique in the centre (a card code). `existing` rows
 * must be found in the device's centre; `new` ones must not be there yet; `any` rows are loaded
 * when they exist (a tally a use may create).
 */
export type Ref = { table: TableName; is: 'existing' | 'new' | 'any' } & ({ id: string } | { field: string; value: string });

/** What `apply` knows of the event beyond its body. */
export type KindContext = {
  eventId: string;
  /** Business time: the server-clock instant of the event (ms). */
  at: number;
  staffId: string | null;
};

/** What `apply` answers: the effects, and the exceptions the kind itself raises (the fold adds its own). */
export type Applied = { effects: Effect[]; exceptions?: RaisedException[] };

/** The body every version of a kind has. */
export type Body = { kind: string; version: number; payload: unknown };

export type KindSpec<B extends Body> = {
  /** The body schema of every version ever shipped, oldest first: the server accepts them all. */
  versions: readonly [z.ZodType<B>, ...z.ZodType<B>[]];
  /** The rows the event names. */
  refs(body: B): Ref[];
  /** Roles that may do it besides admin (who may do every kind). */
  roles: readonly Exclude<StaffRole, 'admin'>[];
  /** Device profiles that may push it (the server's own devices may push every kind). */
  profiles: readonly DeviceProfile[];
  /** Done by a resident alone at a self-service device: the event names no staff. */
  selfService: boolean;
  /**
   * Why an event is invalid in itself on this centre's rows (beyond schema, refs, role and
   * profile), or null. Runs on the server before `apply`; what breaks a business rule on newer
   * state is not invalid: `apply` flags it.
   */
  check?(body: B, view: LookupView): Message | null;
  /** The effects of the event on `view`. Never fails; runs on the kiosk and the server. */
  apply(view: StateView, body: B, ctx: KindContext): Applied;
};

/** Declares a kind; the identity, typed by the union of its versions. */
export function defineKind<const V extends readonly [z.ZodType<Body>, ...z.ZodType<Body>[]]>(
  spec: Omit<KindSpec<z.output<V[number]>>, 'versions'> & { versions: V },
): KindSpec<z.output<V[number]>> {
  return spec as unknown as KindSpec<z.output<V[number]>>;
}
