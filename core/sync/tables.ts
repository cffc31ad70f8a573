import { z } from 'zod';
import { Goods, LedgerEntry, PointsAccount, Resident, Resource, RuleExceptionRow } from '../entities.js';
import { maskName, parseCardCode } from '../residents/resident.js';
import { cardLookupText, selfServiceCardCode } from '../selfService/cardLookup.js';
import { SELF_SERVICE_ENTRIES } from '../selfService/summary.js';
import type { DeviceProfile } from '../devices/profiles.js';
import { StaffMember } from '../staff/staff.js';
import { DonationRow, DonationValue } from '../goods/donationReceived.js';
import { GoodsPhoto } from '../goods/goodsPhoto.js';
import { EarningRule } from '../points/earningRules.js';
import { Redemption } from '../points/goodsRedeemed.js';
import { PartnerShop } from '../points/partnerShops.js';
import { ServiceHours } from '../volunteering/serviceHours.js';
import { ScheduledService } from '../services/serviceScheduled.js';
import { pinGoesTo } from '../staff/staff.js';
import { Eligibility, MealOrder, MealSitting, MenuMeal, PaymentCode, StandingBooking, SubsidyRule } from '../canteen/rows.js';

/**
 * The replicated tables, once: each with its row schema, its SQL table and columns, the indexes
 * the kiosk's Dexie keeps, and the device profiles that receive it. The server's pull, the sync
 * contract's `PullRows`, the kiosk's Dexie schema and merge, and the generic writes of `push` are
 * all derived from this list. A new table is one entry here plus its SQL migration (and a bump of
 * `KIOSK_SCHEMA_VERSION` with its upgrade test).
 *
 * Every table is keyed by (centre, id): one centre's ids say nothing of another's.
 */

/** SQL types the server's generic writes cast arrays to. */
export type SqlType = 'text' | 'int' | 'bigint' | 'boolean' | 'jsonb' | 'uuid';

/**
 * How a row's field is kept in SQL: a column and its type, or (read only) an expression the pull
 * selects. Fields written by events must be plain columns.
 */
export type ColumnSpec = { sql: string; type: SqlType } | { select: string };

export type TableSpec<Row extends { id: string; centreId: string; changeSeq: number }> = {
  /** The row as it travels. */
  row: z.ZodType<Row>;
  /** The SQL table. */
  sql: string;
  columns: { [F in keyof Row]-?: ColumnSpec };
  /** Dexie's index line for the kiosk's copy: the primary key first. */
  dexie: string;
  /** Who receives the table. The server's own devices (admin, import) see every table. */
  profiles: readonly DeviceProfile[];
  /** What a self-service device receives of a row instead, when it differs (names masked, card codes keyed). */
  forSelfService?: (row: Row, keys: SelfServiceKeys) => Row;
  /**
   * For a self-service device, the condition (SQL on the table's own columns, the table named as
   * itself) a row must also meet to be sent: the device holds what its screens show and no more.
   */
  selfServiceWhere?: string;
  /**
   * Fields written by events like any other but kept on the server: no device pulls them (keyed
   * hashes the server looks residents up by). Optional in the row schema, so a pulled row has none.
   */
  serverOnly?: readonly (keyof Row & string)[];
  /** What one device receives of a row, when that depends on the device (a PIN hash only where the member works). */
  forDevice?: (row: Row, device: { code: string; profile: DeviceProfile }) => Row;
  /**
   * The kiosk takes a big pull of the table packed, many rows a record, and unpacks it into the
   * table after (IndexedDB's cost is per record: a year of ledger row by row was most of a first
   * download). Meanwhile its reads look in the packs too, so only tables read by id and by the
   * few ways `renderer/src/store/packs.ts` knows are packed.
   */
  packed?: true;
};

/**
 * What the server knows of one self-service device when it sends it rows: its keyed hash of a
 * card's serial (see `selfService/cardLookup.ts`), base64url, `CARD_HASH_BYTES` long.
 */
export type SelfServiceKeys = { cardHash(text: string): string };

const ALL: readonly DeviceProfile[] = ['counter', 'canteen', 'selfService'];
const STAFFED: readonly DeviceProfile[] = ['counter', 'canteen'];
const CANTEEN: readonly DeviceProfile[] = ['canteen'];
const SHELVES: readonly DeviceProfile[] = ['counter', 'selfService'];

const col = (sql: string, type: SqlType): ColumnSpec => ({ sql, type });
const common = { id: col('id', 'text'), centreId: col('centre_id', 'text'), changeSeq: col('change_seq', 'bigint') } as const;

/** The tables, by the name they go by in pulls and in the kiosk's Dexie. */
export const REPLICATED = {
  accounts: {
    row: PointsAccount, sql: 'account', dexie: 'id', profiles: ALL, packed: true,
    columns: { ...common, holderKind: col('holder_kind', 'text'), holderId: col('holder_id', 'text'), balance: col('balance', 'bigint') },
  } satisfies TableSpec<PointsAccount>,
  residents: {
    row: Resident, sql: 'resident', dexie: 'id, cardCode, accountId', profiles: ALL,
    columns: {
      ...common, name: col('name', 'text'), cardCode: col('card_code', 'text'), accountId: col('account_id', 'text'),
      isVolunteer: col('is_volunteer', 'boolean'), phoneTail: col('phone_tail', 'text'), building: col('building', 'text'),
      room: col('room', 'text'), birthDate: col('birth_date', 'text'), flags: col('flags', 'jsonb'),
      idMasked: col('id_masked', 'text'), idHash: col('id_hash', 'text'), phoneHash: col('phone_hash', 'text'), ageBand: col('age_band', 'text'),
      importId: col('import_id', 'text'), removed: col('removed', 'boolean'),
    },
    serverOnly: ['idHash', 'phoneHash'],
    // A self-service screen shows residents masked (张*明); it never holds the full name, the phone,
    // the address, the ID number or the card code: the card only as the device's keyed hash (selfService/cardLookup.ts).
    forSelfService: (r: Resident, keys: SelfServiceKeys): Resident => ({
      ...r, name: maskName(r.name), phoneTail: null, birthDate: null, building: null, room: null, flags: [], idMasked: null,
      cardCode: selfServiceRowCard(r.cardCode, keys),
    }),
  } satisfies TableSpec<Resident>,
  goods: {
    row: Goods, sql: 'goods', dexie: 'id, barcode', profiles: ALL,
    columns: {
      ...common, name: col('name', 'text'), barcode: col('barcode', 'text'), pointPrice: col('point_price', 'int'), stock: col('stock', 'int'),
      category: col('category', 'text'), lowStock: col('low_stock', 'int'),
    },
  } satisfies TableSpec<Goods>,
  /** Photos of goods (optional), apart from the goods' rows: the shelves of the counter and the touchscreen. */
  goodsPhotos: {
    row: GoodsPhoto, sql: 'goods_photo', dexie: 'id', profiles: SHELVES,
    columns: { ...common, photo: col('photo', 'text') },
  } satisfies TableSpec<GoodsPhoto>,
  ledger: {
    row: LedgerEntry, sql: 'ledger_entry', dexie: 'id, accountId, at', profiles: ALL, packed: true,
    // A self-service device holds of each account only the entries a scan shows (the last few).
    selfServiceWhere: `(SELECT count(*) FROM ledger_entry newer WHERE newer.account_id = ledger_entry.account_id AND newer.centre_id = ledger_entry.centre_id
      AND (newer.at, newer.id) > (ledger_entry.at, ledger_entry.id)) < ${SELF_SERVICE_ENTRIES}`,
    columns: {
      ...common, accountId: col('account_id', 'text'), eventId: col('event_id', 'uuid'), delta: col('delta', 'bigint'),
      kind: col('kind', 'text'), memo: col('memo', 'text'), category: col('category', 'text'), at: col('at', 'text'), reversedBy: col('reversed_by', 'uuid'),
      ruleId: col('rule_id', 'text'),
    },
  } satisfies TableSpec<LedgerEntry>,
  resources: {
    row: Resource, sql: 'resource', dexie: 'id', profiles: ALL,
    columns: { ...common, capacity: col('capacity', 'int'), used: col('used', 'int') },
  } satisfies TableSpec<Resource>,
  /** Earning rules (评分细则). */
  rules: {
    row: EarningRule, sql: 'earning_rule', dexie: 'id', profiles: ALL,
    columns: {
      ...common, name: col('name', 'text'), category: col('category', 'text'), unit: col('unit', 'text'), points: col('points', 'int'),
      capPerDay: col('cap_per_day', 'int'), capPerMonth: col('cap_per_month', 'int'), active: col('active', 'boolean'),
    },
  } satisfies TableSpec<EarningRule>,
  /** Volunteer hours certified (服务认证), one row per volunteer and activity. */
  serviceHours: {
    row: ServiceHours, sql: 'service_hours', dexie: 'id, residentId, activityId, day', profiles: STAFFED,
    columns: {
      ...common, activityId: col('activity_id', 'text'), activity: col('activity', 'text'), team: col('team', 'text'), day: col('day', 'text'),
      residentId: col('resident_id', 'text'), accountId: col('account_id', 'text'), ruleId: col('rule_id', 'text'), minutes: col('minutes', 'int'), points: col('points', 'int'),
      pointsPerHour: col('points_per_hour', 'int'),
    },
  } satisfies TableSpec<ServiceHours>,
  /** Donations taken in (旧物捐赠). */
  donations: {
    row: DonationRow, sql: 'donation', dexie: 'id, donorResidentId', profiles: STAFFED,
    columns: {
      ...common, donorResidentId: col('donor_resident_id', 'text'), donorAccountId: col('donor_account_id', 'text'), items: col('items', 'jsonb'),
      points: col('points', 'int'), proposedPoints: col('proposed_points', 'int'), reason: col('reason', 'text'), at: col('at', 'text'),
    },
  } satisfies TableSpec<DonationRow>,
  /** The centre's valuation of donated items, per category (absent: the default values). */
  donationValues: {
    row: DonationValue, sql: 'donation_value', dexie: 'id', profiles: STAFFED,
    columns: { ...common, good: col('good', 'int'), fair: col('fair', 'int') },
  } satisfies TableSpec<DonationValue>,
  /** Partner shops (爱心商铺) with their accounts and offers. */
  partnerShops: {
    row: PartnerShop, sql: 'partner_shop', dexie: 'id, accountId', profiles: ALL,
    columns: { ...common, name: col('name', 'text'), accountId: col('account_id', 'text'), offers: col('offers', 'jsonb'), active: col('active', 'boolean') },
  } satisfies TableSpec<PartnerShop>,
  /** Redemptions with their lines: receipts, reversals and the day's summary read them. */
  redemptions: {
    row: Redemption, sql: 'redemption', dexie: 'id, accountId, at', profiles: STAFFED, packed: true,
    columns: {
      ...common, accountId: col('account_id', 'text'), residentId: col('resident_id', 'text'), shopId: col('shop_id', 'text'), lines: col('lines', 'jsonb'),
      total: col('total', 'int'), at: col('at', 'text'), reversedBy: col('reversed_by', 'uuid'),
    },
  } satisfies TableSpec<Redemption>,
  /**
   * Staff with their PIN hashes: staffed devices only (the kiosk wraps the hash on arrival), and a
   * member's hash only to the devices where the member works (`worksAt`): elsewhere the row comes
   * without it, so an admin's PIN hash is not on every counter PC.
   */
  staff: {
    row: StaffMember, sql: 'staff', dexie: 'id, cardCode', profiles: STAFFED,
    columns: {
      ...common, name: col('name', 'text'), role: col('role', 'text'), cardCode: col('card_code', 'text'), active: col('active', 'boolean'),
      pin: col('pin', 'jsonb'), worksAt: col('works_at', 'jsonb'),
    },
    forDevice: (m: StaffMember, device): StaffMember => (pinGoesTo(m, device) ? m : { ...m, pin: null }),
  } satisfies TableSpec<StaffMember>,
  /** The exception queue: staffed devices only. */
  exceptions: {
    row: RuleExceptionRow, sql: 'rule_exception', dexie: 'id, resolvedBy, changeSeq', profiles: STAFFED,
    columns: {
      ...common, eventId: col('event_id', 'uuid'), kind: col('kind', 'text'), subjectId: col('subject_id', 'text'), amount: col('amount', 'bigint'),
      at: col('at', 'text'), resolvedBy: col('resolved_by', 'uuid'), resolution: col('resolution', 'text'),
    },
  } satisfies TableSpec<RuleExceptionRow>,
  /** The week's services (haircuts, health checks, tutoring): every device, the touchscreen shows them. */
  services: {
    row: ScheduledService, sql: 'scheduled_service', dexie: 'id', profiles: ALL,
    columns: {
      ...common, name: col('name', 'text'), team: col('team', 'text'), weekday: col('weekday', 'int'), nthWeek: col('nth_week', 'int'),
      startTime: col('start_time', 'text'), endTime: col('end_time', 'text'), place: col('place', 'text'), note: col('note', 'text'), active: col('active', 'boolean'),
    },
  } satisfies TableSpec<ScheduledService>,
  /** The canteen's sittings and menus: public, every device (self-service will book from them). */
  sittings: {
    row: MealSitting, sql: 'meal_sitting', dexie: 'id, day', profiles: ALL,
    columns: {
      ...common, day: col('day', 'text'), meal: col('meal', 'text'), opensAt: col('opens_at', 'text'), closesAt: col('closes_at', 'text'),
      bookingCutoff: col('booking_cutoff', 'text'), deliveryFeeFen: col('delivery_fee_fen', 'int'), mainTill: col('main_till', 'text'),
    },
  } satisfies TableSpec<MealSitting>,
  meals: {
    row: MenuMeal, sql: 'menu_meal', dexie: 'id, sittingId', profiles: ALL,
    columns: {
      ...common, sittingId: col('sitting_id', 'text'), name: col('name', 'text'), dishes: col('dishes', 'text'), setMeal: col('set_meal', 'boolean'),
      priceFen: col('price_fen', 'int'), costFen: col('cost_fen', 'int'), offered: col('offered', 'boolean'),
    },
  } satisfies TableSpec<MenuMeal>,
  subsidyRules: {
    row: SubsidyRule, sql: 'subsidy_rule', dexie: 'id', profiles: ALL,
    columns: {
      ...common, name: col('name', 'text'), basis: col('basis', 'text'), minAge: col('min_age', 'int'), maxAge: col('max_age', 'int'), flags: col('flags', 'jsonb'),
      subsidyFen: col('subsidy_fen', 'int'), capPerDayFen: col('cap_per_day_fen', 'int'), minBillFen: col('min_bill_fen', 'int'),
      deliverySubsidyFen: col('delivery_subsidy_fen', 'int'), active: col('active', 'boolean'),
    },
  } satisfies TableSpec<SubsidyRule>,
  /** Who holds a status category: canteen devices only (it says who is 低保 or 失能). */
  eligibility: {
    row: Eligibility, sql: 'eligibility', dexie: 'id, residentId', profiles: CANTEEN,
    columns: {
      ...common, residentId: col('resident_id', 'text'), category: col('category', 'text'), approvedBy: col('approved_by', 'text'),
      approvedOn: col('approved_on', 'text'), validFrom: col('valid_from', 'text'), validUntil: col('valid_until', 'text'), note: col('note', 'text'),
    },
  } satisfies TableSpec<Eligibility>,
  /** Meals booked, sold and delivered, with their prices and ticket numbers: canteen devices only. */
  mealOrders: {
    row: MealOrder, sql: 'meal_order', dexie: 'id, sittingId, residentId, ticketKey, day', profiles: [...CANTEEN, 'selfService'],
    // A self-service device books meals, so it must know who booked a sitting already (booked twice
    // is refused): it gets the orders of today and later only, with who, which sitting and the
    // state, and nothing of prices, categories, numbers or who delivers.
    selfServiceWhere: `day >= to_char((now() AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')`,
    forSelfService: (o: MealOrder): MealOrder => ({
      ...o, category: null, listPriceFen: 0, deliveryFeeFen: 0, subsidyFen: 0, deliverySubsidyFen: 0, paidFen: 0, payment: 'none', number: null, ticketKey: null,
      deviceCode: null, soldAt: null, calledAt: null, calls: 0, finishedAt: null, volunteerId: null, confirmedBy: null,
    }),
    columns: {
      ...common, sittingId: col('sitting_id', 'text'), day: col('day', 'text'), mealId: col('meal_id', 'text'), residentId: col('resident_id', 'text'),
      category: col('category', 'text'), listPriceFen: col('list_price_fen', 'int'), deliveryFeeFen: col('delivery_fee_fen', 'int'),
      subsidyFen: col('subsidy_fen', 'int'), deliverySubsidyFen: col('delivery_subsidy_fen', 'int'), paidFen: col('paid_fen', 'int'),
      payment: col('payment', 'text'), state: col('state', 'text'), number: col('number', 'text'), ticketKey: col('ticket_key', 'text'),
      deviceCode: col('device_code', 'text'), soldAt: col('sold_at', 'text'), calledAt: col('called_at', 'text'), calls: col('calls', 'int'),
      finishedAt: col('finished_at', 'text'), delivery: col('delivery', 'boolean'), volunteerId: col('volunteer_id', 'text'),
      confirmedBy: col('confirmed_by', 'text'), override: col('override', 'boolean'),
    },
  } satisfies TableSpec<MealOrder>,
  /** Standing bookings for home delivery: canteen devices only. */
  standingBookings: {
    row: StandingBooking, sql: 'standing_booking', dexie: 'id, residentId', profiles: CANTEEN,
    columns: {
      ...common, residentId: col('resident_id', 'text'), meal: col('meal', 'text'), weekdays: col('weekdays', 'jsonb'), volunteerId: col('volunteer_id', 'text'),
      active: col('active', 'boolean'),
    },
  } satisfies TableSpec<StandingBooking>,
  /** The centre's collection code (收款码): canteen devices, whose till shows it for a meal paid by QR. */
  paymentCodes: {
    row: PaymentCode, sql: 'payment_code', dexie: 'id', profiles: CANTEEN,
    columns: { ...common, code: col('code', 'text'), payee: col('payee', 'text') },
  } satisfies TableSpec<PaymentCode>,
} as const;

/**
 * A resident's card as a self-service device holds it: the keyed hash of its serial and its
 * generation; a code that does not read as a card (never so in practice) is held as a hash of itself.
 */
function selfServiceRowCard(code: string, keys: SelfServiceKeys): string {
  const card = parseCardCode(code);
  return card.ok ? selfServiceCardCode(keys.cardHash(cardLookupText(card.value)), card.value.generation) : selfServiceCardCode(keys.cardHash(code), 0);
}

/** The name of a replicated table. */
export type TableName = keyof typeof REPLICATED;
/** A row of a replicated table as it travels. */
export type TableRow<T extends TableName> = z.infer<(typeof REPLICATED)[T]['row']>;
/** Every replicated table's name, in the order of the list. */
export const TABLE_NAMES = Object.keys(REPLICATED) as TableName[];

/** The tables a kiosk takes packed when a pull brings many of their rows (`TableSpec.packed`). */
export type PackedTable = { [T in TableName]: (typeof REPLICATED)[T] extends { packed: true } ? T : never }[TableName];
export const PACKED_TABLES = TABLE_NAMES.filter((t): t is PackedTable => tableSpec(t).packed === true);

/** The spec of a table, typed loosely for code that handles every table alike. */
export function tableSpec(name: TableName): TableSpec<{ id: string; centreId: string; changeSeq: number }> {
  return REPLICATED[name] as unknown as TableSpec<{ id: string; centreId: string; changeSeq: number }>;
}

/** Whether a device of `profile` receives `table` (the server's own devices receive all). */
export function receives(profile: DeviceProfile | 'server', table: TableName): boolean {
  return profile === 'server' || REPLICATED[table].profiles.includes(profile);
}

/**
 * The version of the kiosk's Dexie schema that the list above gives. Bump it when a table or an
 * index is added or changed: the kiosk upgrades and pulls every table again from 0.
 */
export const KIOSK_SCHEMA_VERSION = 11;

/** Rows of every replicated table, as a pull page carries them. */
export type PullRows = { [T in TableName]: TableRow<T>[] };

/** The zod schema of `PullRows`, derived from the list. */
export const PullRows = z.object(
  Object.fromEntries(TABLE_NAMES.map((t) => [t, z.array(REPLICATED[t].row)])) as { [T in TableName]: z.ZodArray<(typeof REPLICATED)[T]['row']> },
);
