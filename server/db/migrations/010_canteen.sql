-- The canteen (爱心食堂): sittings and their menus, subsidy categories and the approvals of status
-- categories, meal orders (booked, sold with a numbered ticket, delivered) and standing bookings
-- for home delivery. Every table is keyed by (centre, id) with a change sequence, as push's
-- generic writes and pull expect. A sitting's places are the `resource` row of its id.

CREATE TABLE meal_sitting (
  id                text NOT NULL,
  centre_id         text NOT NULL REFERENCES centre(id),
  day               text NOT NULL,
  meal              text NOT NULL CHECK (meal IN ('breakfast', 'lunch', 'dinner')),
  opens_at          text NOT NULL,
  closes_at         text NOT NULL,
  booking_cutoff    text NOT NULL,
  delivery_fee_fen  integer NOT NULL CHECK (delivery_fee_fen >= 0),
  main_till         text,
  change_seq        bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX meal_sitting_changes ON meal_sitting (centre_id, change_seq);
CREATE INDEX meal_sitting_day ON meal_sitting (centre_id, day);

CREATE TABLE menu_meal (
  id          text NOT NULL,
  centre_id   text NOT NULL REFERENCES centre(id),
  sitting_id  text NOT NULL,
  name        text NOT NULL,
  dishes      text NOT NULL,
  set_meal    boolean NOT NULL,
  price_fen   integer NOT NULL CHECK (price_fen >= 0),
  cost_fen    integer NOT NULL CHECK (cost_fen >= 0),
  change_seq  bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX menu_meal_changes ON menu_meal (centre_id, change_seq);

CREATE TABLE subsidy_rule (
  id                    text NOT NULL,
  centre_id             text NOT NULL REFERENCES centre(id),
  name                  text NOT NULL,
  basis                 text NOT NULL CHECK (basis IN ('age', 'status')),
  min_age               integer,
  max_age               integer,
  flags                 jsonb NOT NULL DEFAULT '[]',
  subsidy_fen           integer NOT NULL CHECK (subsidy_fen >= 0),
  cap_per_day_fen       integer NOT NULL CHECK (cap_per_day_fen >= 0),
  min_bill_fen          integer,
  delivery_subsidy_fen  integer NOT NULL CHECK (delivery_subsidy_fen >= 0),
  active                boolean NOT NULL,
  change_seq            bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX subsidy_rule_changes ON subsidy_rule (centre_id, change_seq);

CREATE TABLE eligibility (
  id           text NOT NULL,
  centre_id    text NOT NULL REFERENCES centre(id),
  resident_id  text NOT NULL,
  category     text NOT NULL,
  approved_by  text NOT NULL,
  approved_on  text NOT NULL,
  valid_from   text NOT NULL,
  valid_until  text,
  note         text NOT NULL DEFAULT '',
  change_seq   bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX eligibility_changes ON eligibility (centre_id, change_seq);

CREATE TABLE meal_order (
  id                    text NOT NULL,
  centre_id             text NOT NULL REFERENCES centre(id),
  sitting_id            text NOT NULL,
  day                   text NOT NULL,
  meal_id               text NOT NULL,
  resident_id           text,
  category              text,
  list_price_fen        integer NOT NULL CHECK (list_price_fen >= 0),
  delivery_fee_fen      integer NOT NULL CHECK (delivery_fee_fen >= 0),
  subsidy_fen           integer NOT NULL CHECK (subsidy_fen >= 0),
  delivery_subsidy_fen  integer NOT NULL CHECK (delivery_subsidy_fen >= 0),
  paid_fen              integer NOT NULL CHECK (paid_fen >= 0),
  payment               text NOT NULL CHECK (payment IN ('cash', 'qr', 'balance', 'none')),
  state                 text NOT NULL CHECK (state IN ('booked', 'waiting', 'called', 'served', 'noShow', 'cancelled', 'delivered')),
  number                text,
  ticket_key            text,
  device_code           text,
  sold_at               text,
  called_at             text,
  calls                 integer NOT NULL DEFAULT 0,
  finished_at           text,
  delivery              boolean NOT NULL DEFAULT false,
  volunteer_id          text,
  confirmed_by          text,
  override              boolean NOT NULL DEFAULT false,
  change_seq            bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX meal_order_changes ON meal_order (centre_id, change_seq);
-- The settlement reads a month of a centre's orders by day.
CREATE INDEX meal_order_day ON meal_order (centre_id, day);
-- No ticket number twice in a sitting: push refuses it first (a ref on `ticketKey`), this is the wall.
CREATE UNIQUE INDEX meal_order_ticket ON meal_order (centre_id, ticket_key) WHERE ticket_key IS NOT NULL;

CREATE TABLE standing_booking (
  id            text NOT NULL,
  centre_id     text NOT NULL REFERENCES centre(id),
  resident_id   text NOT NULL,
  meal          text NOT NULL CHECK (meal IN ('breakfast', 'lunch', 'dinner')),
  weekdays      jsonb NOT NULL,
  volunteer_id  text,
  active        boolean NOT NULL,
  change_seq    bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX standing_booking_changes ON standing_booking (centre_id, change_seq);
