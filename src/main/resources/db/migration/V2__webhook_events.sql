-- The OpenAI webhook events received, by webhook-id (README, "The state store"): an event sent
-- again (OpenAI retries for up to 72 hours) is acted on once, whichever instance receives it.
-- Rows older than 73 hours are deleted.
CREATE TABLE notifier_webhook_event (
    webhook_id  TEXT        PRIMARY KEY,
    job_id      TEXT,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX notifier_webhook_event_received ON notifier_webhook_event (received_at);
