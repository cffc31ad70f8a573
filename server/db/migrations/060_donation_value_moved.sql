-- A donation valued otherwise than the centre's values in force is flagged.
ALTER TABLE rule_exception DROP CONSTRAINT rule_exception_kind_check;
ALTER TABLE rule_exception ADD CONSTRAINT rule_exception_kind_check CHECK (kind IN ('overdraft', 'oversold', 'overbooked', 'capExceeded', 'clockSkew', 'staffRevoked', 'countMoved', 'donationValueMoved'));
