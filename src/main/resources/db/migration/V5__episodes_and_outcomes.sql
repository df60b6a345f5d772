-- Since when each unfinished job has been in its status (stuck jobs, README "Stuck jobs") and how
-- each job ended (digests): shared, so a new leader goes on with the old one's clocks and digests.
CREATE TABLE notifier_status_episode (
    job_id TEXT        PRIMARY KEY,
    status TEXT        NOT NULL,
    since  TIMESTAMPTZ NOT NULL
);

CREATE TABLE notifier_outcome (
    job_id TEXT        PRIMARY KEY,
    at     TIMESTAMPTZ NOT NULL,
    status TEXT        NOT NULL,
    event  TEXT,
    model  TEXT,
    fact   TEXT
);
CREATE INDEX notifier_outcome_at ON notifier_outcome (at);
