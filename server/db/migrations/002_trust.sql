-- Trust: enrolment limits and device keys, staff sign-in data, exceptions staff resolve, and
-- the refusals kept with their reasons.

-- The public half of the ECDSA P-256 key pair a device made at enrolment (JWK): it checks the
-- signature of the device's outbox export files.
ALTER TABLE device ADD COLUMN public_key jsonb;
ALTER TABLE device ADD COLUMN revoked_reason text;
-- The corrected (business) time of the device's newest event, in ms: a later event corrected to
-- well before it means the device clock was set back.
ALTER TABLE device ADD COLUMN last_business_at bigint;

-- Failed enrolments by source (the address a request came from): five within the code lifetime
-- and the source must wait.
CREATE TABLE enrol_failure (
  source  text NOT NULL,
  at      timestamptz NOT NULL
);
CREATE INDEX enrol_failure_source ON enrol_failure (source, at);

-- Staff sign in on kiosks with a card and a PIN (PBKDF2-SHA256 hash, replicated to staffed devices).
ALTER TABLE staff ADD COLUMN card_code text;
ALTER TABLE staff ADD COLUMN pin_salt text;
ALTER TABLE staff ADD COLUMN pin_hash text;
ALTER TABLE staff ADD COLUMN pin_iterations integer;
ALTER TABLE staff ADD COLUMN active boolean NOT NULL DEFAULT true;
ALTER TABLE staff ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX staff_card ON staff (centre_id, card_code);
CREATE INDEX staff_changes ON staff (centre_id, change_seq);

-- Admin sessions (a browser or the CLI signed in as an admin staff member); the token is hashed.
CREATE TABLE admin_session (
  token_hash  text PRIMARY KEY,
  staff_id    text NOT NULL REFERENCES staff(id),
  centre_id   text NOT NULL REFERENCES centre(id),
  expires_at  timestamptz NOT NULL
);

-- Exceptions: a clock that ran wrong joins overdraft and oversold; resolutions are kept and the
-- rows are replicated to staffed devices by their change sequence.
ALTER TABLE rule_exception DROP CONSTRAINT rule_exception_kind_check;
ALTER TABLE rule_exception ADD CONSTRAINT rule_exception_kind_check CHECK (kind IN ('overdraft', 'oversold', 'clockSkew'));
ALTER TABLE rule_exception ADD COLUMN resolution text;
ALTER TABLE rule_exception ADD COLUMN at text NOT NULL DEFAULT '';
CREATE INDEX rule_exception_changes ON rule_exception (centre_id, change_seq);

-- Requests refused as a whole (a tampered export, a forged batch, a gap), with the reason, for
-- staff and the admin to see. Events refused one by one keep their reason in `event`.
CREATE TABLE refusal (
  id         bigserial PRIMARY KEY,
  centre_id  text,
  device_id  text,
  code       text NOT NULL,
  reason     text NOT NULL,
  at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refusal_centre ON refusal (centre_id, at);
