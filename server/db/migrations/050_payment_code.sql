-- The centre's collection code (收款码), one row a centre: what its WeChat Pay or Alipay QR code
-- says, shown by the canteen's till for a meal paid by QR (core/canteen/paymentCodeSet.ts).
CREATE TABLE payment_code (
  id          text NOT NULL,
  centre_id   text NOT NULL REFERENCES centre(id),
  code        text,
  payee       text NOT NULL,
  change_seq  bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX payment_code_changes ON payment_code (centre_id, change_seq);
