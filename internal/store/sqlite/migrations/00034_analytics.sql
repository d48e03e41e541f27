-- Analytics rollups (issue 18): counters per tenant, metric, grain (h =
-- hour, d = day, p = an active-user period), group of labels and bucket
-- start, added to as events happen (internal/analytics); and the
-- per-user activity rows that make active users distinct per day, ISO
-- week and month. Those go with the user (erasure) and are purged once
-- their period is over; the counters stay.

-- +goose Up
CREATE TABLE analytics_rollups (
    tenant_id TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    metric    TEXT    NOT NULL,
    grain     TEXT    NOT NULL,
    bucket    INTEGER NOT NULL,
    grp       TEXT    NOT NULL DEFAULT '',
    value     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, metric, grain, bucket, grp)
) WITHOUT ROWID;

CREATE TABLE analytics_active (
    tenant_id TEXT    NOT NULL,
    user_id   TEXT    NOT NULL,
    period    TEXT    NOT NULL,
    start     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, period, start, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX analytics_active_user ON analytics_active (tenant_id, user_id);
CREATE INDEX analytics_active_start ON analytics_active (start);

-- +goose Down
DROP TABLE analytics_active;
DROP TABLE analytics_rollups;
