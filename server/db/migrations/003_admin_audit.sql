-- Every admin change, who made it and when: pairing codes made, devices revoked, staff added or
-- changed, export files imported or refused. Never updated or deleted.
CREATE TABLE admin_audit (
  id         bigserial PRIMARY KEY,
  centre_id  text NOT NULL,
  staff_id   text NOT NULL,
  action     text NOT NULL,
  detail     jsonb NOT NULL,
  at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_audit_centre ON admin_audit (centre_id, at);
