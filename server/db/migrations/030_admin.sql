-- Administration: every admin change to a replicated table is an event of the centre's server
-- device, so staff, residents and the week's services get what those events write; admins sign
-- in with a password (server only); a city or street-office admin sees the figures of many
-- centres; a resident sheet waits, checked, for the admin to confirm it.

-- Staff: the PIN hash is one column that a staffSet event writes like any other field, and a
-- member lists where they work (null: every staffed device; an admin: the listed ones only, so an
-- admin's PIN hash is not on every counter PC).
ALTER TABLE staff ADD COLUMN pin jsonb;
UPDATE staff SET pin = jsonb_build_object('salt', pin_salt, 'hash', pin_hash, 'iterations', pin_iterations) WHERE pin_hash IS NOT NULL;
ALTER TABLE staff DROP COLUMN pin_salt;
ALTER TABLE staff DROP COLUMN pin_hash;
ALTER TABLE staff DROP COLUMN pin_iterations;
ALTER TABLE staff ADD COLUMN works_at jsonb;
-- Admins there already keep signing in where they could (every counter and canteen device) until
-- an admin narrows it in the admin app.
UPDATE staff SET works_at = '["counter","canteen"]' WHERE role = 'admin';

-- An admin's password for the admin app (Argon2id, as its PHC string). Server only: never
-- replicated, never in an event. A new password ends the member's other sessions.
CREATE TABLE admin_password (
  centre_id   text NOT NULL,
  staff_id    text NOT NULL,
  hash        text NOT NULL,
  changed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (centre_id, staff_id),
  FOREIGN KEY (centre_id, staff_id) REFERENCES staff (centre_id, id)
);

-- A street office's or a city's admin: sees the listed centres' figures side by side (every
-- centre when `centres` is null), nothing of their residents. Not a centre's staff.
CREATE TABLE city_admin (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  login       text NOT NULL UNIQUE,
  hash        text NOT NULL,
  centres     jsonb,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE city_session (
  token_hash     text PRIMARY KEY,
  city_admin_id  text NOT NULL REFERENCES city_admin (id),
  expires_at     timestamptz NOT NULL
);

-- Residents (the masked ID number and its keyed hash came with 021): a keyed hash of the phone
-- (server only: the pull leaves it out), an age group when a sheet gave no birth date, the
-- import that brought them, and whether an admin removed them (an import undone).
ALTER TABLE resident ADD COLUMN phone_hash text;
ALTER TABLE resident ADD COLUMN age_band text;
ALTER TABLE resident ADD COLUMN import_id text;
ALTER TABLE resident ADD COLUMN removed boolean;
CREATE INDEX resident_id_hash ON resident (centre_id, id_hash) WHERE id_hash IS NOT NULL;
CREATE INDEX resident_phone_hash ON resident (centre_id, phone_hash) WHERE phone_hash IS NOT NULL;
CREATE INDEX resident_by_import ON resident (centre_id, import_id) WHERE import_id IS NOT NULL;

-- A resident sheet read and checked, waiting for the admin's confirmation; then committed
-- (through events), discarded, or undone (through events). It holds the rows as they will be
-- imported, with ID numbers and phones already reduced to masks, tails and keyed hashes: no ID
-- number is ever stored.
CREATE TABLE resident_import (
  id            text NOT NULL,
  centre_id     text NOT NULL REFERENCES centre (id),
  staff_id      text NOT NULL,
  file_name     text NOT NULL,
  state         text NOT NULL CHECK (state IN ('previewed', 'committed', 'discarded', 'undone')),
  rows          jsonb NOT NULL,
  report        jsonb NOT NULL,
  counts        jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  committed_at  timestamptz,
  undone_at     timestamptz,
  PRIMARY KEY (centre_id, id)
);

-- The week's services (haircuts, health checks, tutoring), replicated to every device.
CREATE TABLE scheduled_service (
  id          text NOT NULL,
  centre_id   text NOT NULL REFERENCES centre (id),
  name        text NOT NULL,
  team        text NOT NULL,
  weekday     integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  nth_week    integer CHECK (nth_week BETWEEN 1 AND 5),
  start_time  text NOT NULL,
  end_time    text NOT NULL,
  place       text NOT NULL,
  note        text NOT NULL,
  active      boolean NOT NULL,
  change_seq  bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX scheduled_service_changes ON scheduled_service (centre_id, change_seq);

-- Reports read the ledger, redemptions and stock movements by time: business time (`at`) for
-- entries, the event's for movements.
CREATE INDEX ledger_entry_at ON ledger_entry (centre_id, at);
CREATE INDEX stock_movement_event ON stock_movement (centre_id, event_id);
