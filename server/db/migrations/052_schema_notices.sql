-- Notifications are heard by every connection to the database, whatever its schema: two Linli
-- databases kept as schemas of one PostgreSQL database (the tests' scratch schemas, a city's
-- servers side by side) heard each other's centres change. Every notice now begins with the
-- schema it comes from (`public wzgl`), and a listener passes on only its own schema's (db.ts).
-- (Each function body is one line: migrations are split at a semicolon that ends a line.)
CREATE OR REPLACE FUNCTION linli_clock_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('linli_head', current_schema() || ' ' || CASE WHEN TG_OP = 'DELETE' THEN OLD.centre_id ELSE NEW.centre_id END); RETURN NULL; END $$;

CREATE OR REPLACE FUNCTION linli_centre_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('linli_head', current_schema() || ' ' || OLD.id); RETURN NULL; END $$;

CREATE OR REPLACE FUNCTION linli_device_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('linli_device', current_schema() || ' ' || OLD.id); RETURN NULL; END $$;
