-- Tries against a limit (pairing codes, admin PINs) are written before they are evaluated, so
-- tries sent at once count each other (see devices/enrol.ts, takeTry); a try that turns out right
-- removes its own row, by this id.
ALTER TABLE enrol_failure ADD COLUMN id bigserial PRIMARY KEY;
