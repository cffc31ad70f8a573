-- One kind, one place: every replicated table is keyed by (centre, id), so one centre's ids say
-- nothing of another's and the generic writes of push upsert by the same key on every table.
-- Events are keyed by (device, seq): a rejected event whose id another event of the centre used
-- is stored (and uses up its seq) instead of failing on the id for ever. Refusal reasons become
-- message keys with parameters. Residents get what registration at the counter records; ledger
-- entries a memo; limited resources (a sitting's places) and seq conflicts get tables.

ALTER TABLE resident DROP CONSTRAINT resident_account_id_fkey;
ALTER TABLE admin_session DROP CONSTRAINT admin_session_staff_id_fkey;

ALTER TABLE account DROP CONSTRAINT account_pkey;
ALTER TABLE account ADD PRIMARY KEY (centre_id, id);
ALTER TABLE resident DROP CONSTRAINT resident_pkey;
ALTER TABLE resident ADD PRIMARY KEY (centre_id, id);
ALTER TABLE goods DROP CONSTRAINT goods_pkey;
ALTER TABLE goods ADD PRIMARY KEY (centre_id, id);
ALTER TABLE staff DROP CONSTRAINT staff_pkey;
ALTER TABLE staff ADD PRIMARY KEY (centre_id, id);
ALTER TABLE admin_session ADD FOREIGN KEY (centre_id, staff_id) REFERENCES staff (centre_id, id);
ALTER TABLE ledger_entry DROP CONSTRAINT ledger_entry_pkey;
ALTER TABLE ledger_entry ADD PRIMARY KEY (centre_id, id);
ALTER TABLE stock_movement DROP CONSTRAINT stock_movement_pkey;
ALTER TABLE stock_movement ADD PRIMARY KEY (centre_id, id);
ALTER TABLE rule_exception DROP CONSTRAINT rule_exception_pkey;
ALTER TABLE rule_exception ADD PRIMARY KEY (centre_id, id);

ALTER TABLE event DROP CONSTRAINT event_pkey;
ALTER TABLE event DROP CONSTRAINT event_device_id_seq_key;
ALTER TABLE event ADD PRIMARY KEY (device_id, seq);
-- An id names one applied event per centre; rejected events may repeat one (they are kept so
-- the device's seq moves on).
CREATE UNIQUE INDEX event_applied_id ON event (centre_id, id) WHERE outcome = 'applied';
CREATE INDEX event_centre_id ON event (centre_id, id);

ALTER TABLE event ADD COLUMN reason_params jsonb;
UPDATE event SET reason_params = jsonb_build_object('detail', reason), reason = 'refusedLegacy' WHERE reason IS NOT NULL;

ALTER TABLE resident ADD COLUMN phone_tail text;
ALTER TABLE resident ADD COLUMN building text;
ALTER TABLE resident ADD COLUMN room text;
ALTER TABLE resident ADD COLUMN birth_date text;
ALTER TABLE resident ADD COLUMN flags jsonb NOT NULL DEFAULT '[]';

ALTER TABLE ledger_entry ADD COLUMN memo text NOT NULL DEFAULT '';

-- A limited resource: the places of a meal sitting on a day, the nap room's beds, an activity's places.
CREATE TABLE resource (
  id          text NOT NULL,
  centre_id   text NOT NULL REFERENCES centre(id),
  capacity    integer NOT NULL CHECK (capacity >= 0),
  used        integer NOT NULL DEFAULT 0,
  change_seq  bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX resource_changes ON resource (centre_id, change_seq);

ALTER TABLE rule_exception DROP CONSTRAINT rule_exception_kind_check;
ALTER TABLE rule_exception ADD CONSTRAINT rule_exception_kind_check CHECK (kind IN ('overdraft', 'oversold', 'overbooked', 'clockSkew', 'staffRevoked'));

-- A seq pushed again with another payload than the one the server holds: both kept for the admin.
CREATE TABLE seq_conflict (
  centre_id       text NOT NULL,
  device_id       text NOT NULL,
  seq             integer NOT NULL,
  held_id         uuid NOT NULL,
  held_payload    jsonb NOT NULL,
  pushed_id       text NOT NULL,
  pushed_hash     text NOT NULL,
  pushed_payload  jsonb NOT NULL,
  at              timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, seq, pushed_hash)
);
CREATE INDEX seq_conflict_centre ON seq_conflict (centre_id, at);
