-- An event by a staff member whose card was disabled before it reached the server (a kiosk that
-- had not pulled the change yet) is applied and flagged, not refused: the goods have left.
ALTER TABLE rule_exception DROP CONSTRAINT rule_exception_kind_check;
ALTER TABLE rule_exception ADD CONSTRAINT rule_exception_kind_check CHECK (kind IN ('overdraft', 'oversold', 'clockSkew', 'staffRevoked'));
