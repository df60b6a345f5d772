-- Jobs that reached a terminal status and were delivered everywhere: no instance fetches them
-- again (README, "The state store"). Pruned by maintenance after notifier.state.retention.
CREATE TABLE notifier_finished_job (
    job_id      TEXT        PRIMARY KEY,
    finished_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
