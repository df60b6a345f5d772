-- The delivery state of notifier.state.store=jdbc (README, "The state store"). Flyway runs this at start-up.

-- One row per (job, status, channel) delivery: sending (claimed by one instance, in flight),
-- sent (done, never again), failed (waits for next_attempt; attempts counts the attempts that
-- reached the channel).
CREATE TABLE notifier_delivery (
    delivery_key    TEXT        PRIMARY KEY,          -- job|status|channel
    job_id          TEXT        NOT NULL,
    channel         TEXT        NOT NULL,
    state           TEXT        NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt    TIMESTAMPTZ,                      -- failed: when it is due again
    claimed_by      TEXT,                             -- sending: the instance that claimed it
    claimed_at      TIMESTAMPTZ,
    taken_over_from TEXT,                             -- the dead instance whose claim this one took over
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX notifier_delivery_failed ON notifier_delivery (channel, next_attempt) WHERE state = 'failed';
CREATE INDEX notifier_delivery_job ON notifier_delivery (job_id);

-- One row per running notifier process, its heartbeat renewed every few seconds. A claim whose
-- instance has no row, or a heartbeat older than notifier.state.jdbc.instance-timeout, was in
-- flight when that instance died: another may take it over (and send it again).
CREATE TABLE notifier_instance (
    instance_id  TEXT        PRIMARY KEY,
    host         TEXT        NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
