-- The points store and the sync log. Every row names its centre; every row of a replicated
-- table carries the change sequence (centre_clock) of the write that last touched it.

CREATE TABLE centre (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  epoch       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per centre; every write takes the next value inside its transaction, so writes are
-- serialised per centre and their values become visible in order.
CREATE TABLE centre_clock (
  centre_id  text PRIMARY KEY REFERENCES centre(id),
  seq        bigint NOT NULL DEFAULT 0
);

CREATE TABLE device (
  id          text PRIMARY KEY,
  centre_id   text NOT NULL REFERENCES centre(id),
  code        text NOT NULL,
  profile     text NOT NULL CHECK (profile IN ('selfService', 'counter', 'canteen', 'server')),
  token_hash  text UNIQUE,
  last_seq    integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  UNIQUE (centre_id, code)
);

CREATE TABLE pairing_code (
  code_hash   text PRIMARY KEY,
  centre_id   text NOT NULL REFERENCES centre(id),
  profile     text NOT NULL CHECK (profile IN ('selfService', 'counter', 'canteen')),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);

CREATE TABLE staff (
  id         text PRIMARY KEY,
  centre_id  text NOT NULL REFERENCES centre(id),
  name       text NOT NULL,
  role       text NOT NULL CHECK (role IN ('clerk', 'canteen', 'admin'))
);

CREATE TABLE account (
  id           text PRIMARY KEY,
  centre_id    text NOT NULL REFERENCES centre(id),
  holder_kind  text NOT NULL CHECK (holder_kind IN ('resident', 'partnerShop', 'team')),
  holder_id    text NOT NULL,
  balance      bigint NOT NULL DEFAULT 0,
  change_seq   bigint NOT NULL
);
CREATE INDEX account_changes ON account (centre_id, change_seq);

CREATE TABLE resident (
  id            text PRIMARY KEY,
  centre_id     text NOT NULL REFERENCES centre(id),
  name          text NOT NULL,
  card_code     text NOT NULL,
  account_id    text NOT NULL REFERENCES account(id),
  is_volunteer  boolean NOT NULL DEFAULT false,
  change_seq    bigint NOT NULL,
  UNIQUE (centre_id, card_code)
);
CREATE INDEX resident_changes ON resident (centre_id, change_seq);

CREATE TABLE goods (
  id           text PRIMARY KEY,
  centre_id    text NOT NULL REFERENCES centre(id),
  name         text NOT NULL,
  barcode      text NOT NULL,
  point_price  integer NOT NULL CHECK (point_price >= 0),
  stock        integer NOT NULL,
  change_seq   bigint NOT NULL,
  UNIQUE (centre_id, barcode)
);
CREATE INDEX goods_changes ON goods (centre_id, change_seq);

-- The append-only tables below (event, ledger_entry, stock_movement, rule_exception) are written
-- only by the push path, which checks every id they name under the centre's clock lock. They carry
-- no foreign keys: the per-row checks cost more than a quarter of the push rate on PGlite, and the
-- tests check for orphans instead (test/support/centre.ts, ledgerBreaches).

-- The sync log: every pushed event once, with its outcome. (device_id, seq) and id are unique.
CREATE TABLE event (
  id            uuid PRIMARY KEY,
  centre_id     text NOT NULL,
  device_id     text NOT NULL,
  seq           integer NOT NULL,
  kind          text NOT NULL,
  version       integer NOT NULL,
  payload       jsonb NOT NULL,
  staff_id      text,
  at            text NOT NULL,
  clock_offset  bigint NOT NULL,
  basis         bigint NOT NULL,
  payload_hash  text NOT NULL,
  outcome       text NOT NULL CHECK (outcome IN ('applied', 'rejected')),
  reason        text,
  server_seq    bigint,
  received_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (device_id, seq)
);

CREATE TABLE ledger_entry (
  id          text PRIMARY KEY,
  centre_id   text NOT NULL,
  account_id  text NOT NULL,
  event_id    uuid NOT NULL,
  delta       bigint NOT NULL,
  kind        text NOT NULL,
  at          text NOT NULL,
  change_seq  bigint NOT NULL
);
CREATE INDEX ledger_changes ON ledger_entry (centre_id, change_seq);
CREATE INDEX ledger_account ON ledger_entry (account_id);

CREATE TABLE stock_movement (
  id          text PRIMARY KEY,
  centre_id   text NOT NULL,
  goods_id    text NOT NULL,
  event_id    uuid NOT NULL,
  delta       integer NOT NULL,
  change_seq  bigint NOT NULL
);
CREATE INDEX stock_movement_goods ON stock_movement (goods_id);

-- A rule broken on the server's state: applied anyway, kept here for staff to resolve.
CREATE TABLE rule_exception (
  id          text PRIMARY KEY,
  centre_id   text NOT NULL,
  event_id    uuid NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('overdraft', 'oversold')),
  subject_id  text NOT NULL,
  amount      bigint NOT NULL,
  change_seq  bigint NOT NULL,
  resolved_by uuid
);
CREATE INDEX rule_exception_open ON rule_exception (centre_id) WHERE resolved_by IS NULL;
