-- The points store, complete: earning rules, certified service hours, donations, partner shops
-- and redemptions as records; goods with a category and a low-stock mark; ledger entries with
-- the category that moved them and the reversal that compensated them. Every table is keyed by
-- (centre, id) and carries the change sequence of its last write, like the others.

ALTER TABLE goods ADD COLUMN category text NOT NULL DEFAULT '';
ALTER TABLE goods ADD COLUMN low_stock integer NOT NULL DEFAULT 5;

ALTER TABLE ledger_entry ADD COLUMN category text;
ALTER TABLE ledger_entry ADD COLUMN reversed_by uuid;
-- Entries written before: what moved them follows from their kind.
UPDATE ledger_entry SET category = 'redemption' WHERE kind = 'goodsRedeemed';
UPDATE ledger_entry SET category = 'correction' WHERE kind = 'exceptionResolved';

ALTER TABLE rule_exception DROP CONSTRAINT rule_exception_kind_check;
ALTER TABLE rule_exception ADD CONSTRAINT rule_exception_kind_check CHECK (kind IN ('overdraft', 'oversold', 'overbooked', 'capExceeded', 'clockSkew', 'staffRevoked'));

CREATE TABLE earning_rule (
  id             text NOT NULL,
  centre_id      text NOT NULL REFERENCES centre(id),
  name           text NOT NULL,
  category       text NOT NULL,
  unit           text NOT NULL CHECK (unit IN ('act', 'hour')),
  points         integer NOT NULL CHECK (points > 0),
  cap_per_day    integer,
  cap_per_month  integer,
  active         boolean NOT NULL,
  change_seq     bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX earning_rule_changes ON earning_rule (centre_id, change_seq);

CREATE TABLE service_hours (
  id           text NOT NULL,
  centre_id    text NOT NULL REFERENCES centre(id),
  activity_id  text NOT NULL,
  activity     text NOT NULL,
  team         text NOT NULL,
  day          text NOT NULL,
  resident_id  text NOT NULL,
  account_id   text NOT NULL,
  rule_id      text NOT NULL,
  minutes      integer NOT NULL,
  points       integer NOT NULL,
  change_seq   bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX service_hours_changes ON service_hours (centre_id, change_seq);

CREATE TABLE donation (
  id                 text NOT NULL,
  centre_id          text NOT NULL REFERENCES centre(id),
  donor_resident_id  text NOT NULL,
  donor_account_id   text NOT NULL,
  items              jsonb NOT NULL,
  points             integer NOT NULL,
  proposed_points    integer NOT NULL,
  reason             text NOT NULL,
  at                 text NOT NULL,
  change_seq         bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX donation_changes ON donation (centre_id, change_seq);

CREATE TABLE partner_shop (
  id          text NOT NULL,
  centre_id   text NOT NULL REFERENCES centre(id),
  name        text NOT NULL,
  account_id  text NOT NULL,
  offers      jsonb NOT NULL,
  active      boolean NOT NULL,
  change_seq  bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX partner_shop_changes ON partner_shop (centre_id, change_seq);

CREATE TABLE redemption (
  id           text NOT NULL,
  centre_id    text NOT NULL REFERENCES centre(id),
  account_id   text NOT NULL,
  resident_id  text,
  shop_id      text,
  lines        jsonb NOT NULL,
  total        integer NOT NULL,
  at           text NOT NULL,
  reversed_by  uuid,
  change_seq   bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX redemption_changes ON redemption (centre_id, change_seq);
