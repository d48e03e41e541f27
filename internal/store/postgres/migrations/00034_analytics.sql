-- Analytics rollups (issue 18): counters per tenant, metric, grain (h =
-- hour, d = day, p = an active-user period), group of labels and bucket
-- start, added to as events happen (internal/analytics); and the
-- per-user activity rows that make active users distinct per day, ISO
-- week and month. Those go with the user (erasure) and are purged once
-- their period is over; the counters stay.
--
-- Also: the Admin API's user search (GET /admin/v1/users?q=, a substring
-- of email or username, LIKE '%…%') scanned every user of the tenant;
-- trigram indexes answer it from the index (~60 ms -> ~5 ms at 100,000
-- users, docs/benchmarks.md §38). pg_trgm is a trusted extension on
-- PostgreSQL 13+ and offered by the usual managed services; where it
-- cannot be had, the migration goes on without the indexes (search
-- scans, as before). It is installed in public, or used where it
-- already is.

-- +goose Up
CREATE TABLE analytics_rollups (
    tenant_id TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    metric    TEXT COLLATE "C" NOT NULL,
    grain     TEXT COLLATE "C" NOT NULL,
    bucket    TIMESTAMPTZ NOT NULL,
    grp       TEXT COLLATE "C" NOT NULL DEFAULT '',
    value     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, metric, grain, bucket, grp)
);

CREATE TABLE analytics_active (
    tenant_id TEXT COLLATE "C" NOT NULL,
    user_id   TEXT COLLATE "C" NOT NULL,
    period    TEXT COLLATE "C" NOT NULL,
    start     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, period, start, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX analytics_active_user ON analytics_active (tenant_id, user_id);
CREATE INDEX analytics_active_start ON analytics_active (start);

-- +goose StatementBegin
DO $$
DECLARE
    ns text;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm is not available (%): user search scans', SQLERRM;
    END;
    SELECT n.nspname INTO ns FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    IF ns IS NOT NULL THEN
        EXECUTE format('CREATE INDEX IF NOT EXISTS users_email_norm_trgm ON users USING gin (email_norm %I.gin_trgm_ops)', ns);
        EXECUTE format('CREATE INDEX IF NOT EXISTS users_username_norm_trgm ON users USING gin (username_norm %I.gin_trgm_ops)', ns);
    END IF;
END $$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX IF EXISTS users_username_norm_trgm;
DROP INDEX IF EXISTS users_email_norm_trgm;
DROP TABLE analytics_active;
DROP TABLE analytics_rollups;
