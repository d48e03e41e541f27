-- Cross-node cache invalidation (internal/cluster): a change to a row that
-- nodes cache is announced with pg_notify on the channel
-- 'gatehouse:<schema>' as a small JSON document. NOTIFY is transactional:
-- listeners hear of a change when it commits, never of one rolled back,
-- and every writer (API, CLI, a node of an older release that lacks the
-- listener) announces its changes without knowing about the bus. Only
-- the changes a cache depends on notify; bulk deletes of expired rows do
-- not.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION gatehouse_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r   RECORD;
    doc JSONB;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    CASE TG_TABLE_NAME
    WHEN 'tenants' THEN
        doc := jsonb_build_object('k', 'tenant', 't', r.id, 'slug', r.slug);
        IF TG_OP = 'UPDATE' AND OLD.slug IS DISTINCT FROM NEW.slug THEN
            doc := doc || jsonb_build_object('old', OLD.slug);
        END IF;
    WHEN 'clients' THEN
        doc := jsonb_build_object('k', 'client', 't', r.tenant_id, 'id', r.id);
    WHEN 'signing_keys' THEN
        doc := jsonb_build_object('k', 'keys', 't', r.tenant_id);
    WHEN 'revocations' THEN
        doc := jsonb_build_object('k', 'revocation', 't', r.tenant_id, 'rk', r.kind, 'id', r.rev_key);
    WHEN 'users' THEN
        doc := jsonb_build_object('k', 'user', 't', r.tenant_id, 'id', r.id);
    END CASE;
    PERFORM pg_notify(left('gatehouse:' || current_schema(), 63), doc::text);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER tenants_notify AFTER UPDATE OR DELETE ON tenants
    FOR EACH ROW EXECUTE FUNCTION gatehouse_notify();
CREATE TRIGGER clients_notify AFTER INSERT OR UPDATE OR DELETE ON clients
    FOR EACH ROW EXECUTE FUNCTION gatehouse_notify();
CREATE TRIGGER signing_keys_notify AFTER INSERT OR UPDATE OR DELETE ON signing_keys
    FOR EACH ROW EXECUTE FUNCTION gatehouse_notify();
CREATE TRIGGER revocations_notify AFTER INSERT OR UPDATE ON revocations
    FOR EACH ROW EXECUTE FUNCTION gatehouse_notify();
-- A user is announced when disabled or enabled: the other reads of a user
-- (sign-in, refresh, userinfo) go to the database.
CREATE TRIGGER users_notify AFTER UPDATE OF disabled ON users
    FOR EACH ROW WHEN (OLD.disabled IS DISTINCT FROM NEW.disabled) EXECUTE FUNCTION gatehouse_notify();

-- +goose Down
DROP TRIGGER users_notify ON users;
DROP TRIGGER revocations_notify ON revocations;
DROP TRIGGER signing_keys_notify ON signing_keys;
DROP TRIGGER clients_notify ON clients;
DROP TRIGGER tenants_notify ON tenants;
DROP FUNCTION gatehouse_notify();
