-- User search (issue 18): GET /admin/v1/users?q= also matches the name
-- (name, given, family and nickname, lower-cased). The trigram index on
-- that expression answers it like 00034's on email and username; where
-- pg_trgm cannot be had, search scans. users.go's userNameSearch is the
-- same expression: keep them equal, or the index is not used.

-- +goose Up
-- +goose StatementBegin
DO $$
DECLARE
    ns text;
BEGIN
    SELECT n.nspname INTO ns FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    IF ns IS NOT NULL THEN
        EXECUTE format($f$CREATE INDEX IF NOT EXISTS users_name_trgm ON users USING gin ((lower(
            coalesce(profile->>'name', '') || ' ' || coalesce(profile->>'given_name', '') || ' ' ||
            coalesce(profile->>'family_name', '') || ' ' || coalesce(profile->>'nickname', ''))) %I.gin_trgm_ops)$f$, ns);
    END IF;
END $$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX IF EXISTS users_name_trgm;
