-- A counter's phone check finds a resident's registration event by the resident's id.
CREATE INDEX event_registered_resident ON event (centre_id, (payload->>'residentId')) WHERE kind = 'residentRegistered' AND outcome = 'applied';
