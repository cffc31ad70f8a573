-- The week's services (服务时间表: haircuts, health checks, tutoring), written by `serviceScheduled`
-- events and replicated to every device (the self-service touchscreen shows them). Keyed by
-- (centre, id) with the change sequence of its last write, like every replicated table.
CREATE TABLE scheduled_service (
  id          text NOT NULL,
  centre_id   text NOT NULL REFERENCES centre(id),
  name        text NOT NULL,
  team        text NOT NULL,
  weekday     integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  nth_week    integer CHECK (nth_week BETWEEN 1 AND 5),
  start_time  text NOT NULL,
  end_time    text NOT NULL,
  place       text NOT NULL,
  note        text NOT NULL,
  active      boolean NOT NULL,
  change_seq  bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX scheduled_service_changes ON scheduled_service (centre_id, change_seq);
