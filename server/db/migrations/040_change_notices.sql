-- Every server process keeps each centre's head (its clock and epoch) and the devices it has
-- authenticated in memory (server/sync/memory.ts), so that a kiosk asking "anything new?" is
-- answered without the database. These triggers tell every process when either changes, whoever
-- writes it (a push, a seed, a restore, an admin): the NOTIFY goes out on commit and names the
-- centre or the device; a process forgets what it kept of it and reads it again when asked.
-- (Each function body is one line: migrations are split at a semicolon that ends a line.)
CREATE FUNCTION linli_clock_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('linli_head', CASE WHEN TG_OP = 'DELETE' THEN OLD.centre_id ELSE NEW.centre_id END); RETURN NULL; END $$;

CREATE TRIGGER centre_clock_changed AFTER INSERT OR UPDATE OR DELETE ON centre_clock FOR EACH ROW EXECUTE FUNCTION linli_clock_changed();

CREATE FUNCTION linli_centre_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('linli_head', OLD.id); RETURN NULL; END $$;

CREATE TRIGGER centre_epoch_changed AFTER UPDATE OF epoch OR DELETE ON centre FOR EACH ROW EXECUTE FUNCTION linli_centre_changed();

-- A device's token, profile, centre or code changed, it was revoked, or a restore removed it.
-- (A push writes only last_seq and last_business_at, which fire nothing.)
CREATE FUNCTION linli_device_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('linli_device', OLD.id); RETURN NULL; END $$;

CREATE TRIGGER device_changed AFTER UPDATE OF token_hash, profile, centre_id, code, revoked_at OR DELETE ON device FOR EACH ROW EXECUTE FUNCTION linli_device_changed();
