-- A certified entry keeps the rule's points per hour it was priced at, so correcting its hours
-- later prices them at that rate, whatever the rule says by then (core/volunteering/serviceHours.ts).
-- Entries certified before: the rule's rate now where it still gives the entry's points (the rule
-- unchanged since, as a rule mostly is); left null otherwise, and their rule's rate stands in.
ALTER TABLE service_hours ADD COLUMN points_per_hour int;

UPDATE service_hours s SET points_per_hour = r.points
  FROM earning_rule r
 WHERE r.centre_id = s.centre_id AND r.id = s.rule_id AND floor(r.points * s.minutes / 60.0) = s.points;
