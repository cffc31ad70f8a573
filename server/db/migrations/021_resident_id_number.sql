-- A resident's ID number (身份证号), when given at registration or in an imported sheet, is kept as
-- DESIGN.md says: the masked form and a keyed hash (HMAC-SHA256 under the server's key, which is
-- never in the database: server/imports/idKey.ts), never the number. The hash is the server's only
-- (not pulled); it finds a number registered twice.
ALTER TABLE resident ADD COLUMN id_masked text;
ALTER TABLE resident ADD COLUMN id_hash text;
