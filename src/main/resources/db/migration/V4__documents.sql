-- Small state kept as one JSON document per name (README, "The state store"): the discovery
-- state ('discovery') and the self-alert episodes ('self-alerts'). Only the leader writes them,
-- and a new leader reads what the old one wrote. Each write names the version it replaces
-- (UPDATE ... WHERE version = ?), so an instance that led for a moment with an old copy cannot
-- overwrite a newer one.
CREATE TABLE notifier_document (
    name       TEXT        PRIMARY KEY,
    body       TEXT        NOT NULL,
    version    BIGINT      NOT NULL,
    written_by TEXT        NOT NULL,              -- the instance that wrote this version
    written_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
