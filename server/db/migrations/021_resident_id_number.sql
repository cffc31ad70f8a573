-- A resident's ID number (身份证号), when given at registration, is kept as DESIGN.md says: the
-- masked form and a keyed hash (HMAC-SHA256 under a key of the centre that only the server holds),
-- never the number. The key is made on first use (server/residents/idNumbers.ts).
ALTER TABLE resident ADD COLUMN id_masked text;
ALTER TABLE resident ADD COLUMN id_key text;
ALTER TABLE centre ADD COLUMN id_number_key text;
