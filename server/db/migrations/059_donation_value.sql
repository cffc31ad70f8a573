-- The centre's valuation of donated items (旧物捐赠), set by the admin per category; a category never
-- set is worth the defaults in core/goods/donationReceived.ts.
CREATE TABLE donation_value (
  id          text NOT NULL,
  centre_id   text NOT NULL REFERENCES centre(id),
  good        integer NOT NULL CHECK (good BETWEEN 0 AND 1000),
  fair        integer NOT NULL CHECK (fair BETWEEN 0 AND good),
  change_seq  bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX donation_value_changes ON donation_value (centre_id, change_seq);
