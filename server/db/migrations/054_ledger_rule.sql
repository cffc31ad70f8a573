-- An award by rule's ledger entry names its rule, so its reversal gives back what the award took of
-- the rule's caps (core/points/reversal.ts). Awards made before get it from their events
-- (`pointsAwarded` version 2 names the rule; its ledger entry is the event's first effect).
ALTER TABLE ledger_entry ADD COLUMN rule_id text;

UPDATE ledger_entry l SET rule_id = e.payload->>'ruleId'
  FROM event e
 WHERE e.centre_id = l.centre_id AND e.id = l.event_id AND e.outcome = 'applied'
   AND e.kind = 'pointsAwarded' AND e.version = 2 AND l.id = e.id::text || ':0';
