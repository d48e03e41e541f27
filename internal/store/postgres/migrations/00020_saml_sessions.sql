-- SAML single logout (issue 13): the service providers each Gatehouse
-- session signed into (its session participants), with the NameID and
-- SessionIndex of the assertion each was sent, so that a LogoutRequest is
-- matched to its session and the logout reaches the session's other
-- service providers. Rows go with their session and with their SP.
--
-- And a change to a tenant's SAML signing certificates (first one, an
-- announced next one, a rotation) is announced to the other nodes (kind
-- 'saml_certs', as gatehouse_notify in 00015 does for the OIDC signing
-- keys), which drop their cached certificates at once.

-- +goose Up
CREATE TABLE saml_sessions (
    tenant_id      TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    session_id     TEXT COLLATE "C" NOT NULL,
    sp_id          TEXT COLLATE "C" NOT NULL,
    name_id        TEXT        NOT NULL,
    name_id_format TEXT        NOT NULL DEFAULT '',
    session_index  TEXT COLLATE "C" NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, session_id, sp_id),
    FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, sp_id) REFERENCES saml_service_providers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX saml_sessions_index ON saml_sessions (tenant_id, sp_id, session_index);
CREATE INDEX saml_sessions_name_id ON saml_sessions (tenant_id, sp_id, name_id);

-- +goose StatementBegin
CREATE FUNCTION gatehouse_notify_saml_certs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r RECORD;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    PERFORM pg_notify(left('gatehouse:' || current_schema(), 63),
        jsonb_build_object('k', 'saml_certs', 't', r.tenant_id)::text);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER saml_certs_notify AFTER INSERT OR UPDATE OR DELETE ON saml_certs
    FOR EACH ROW EXECUTE FUNCTION gatehouse_notify_saml_certs();

-- +goose Down
DROP TRIGGER saml_certs_notify ON saml_certs;
DROP FUNCTION gatehouse_notify_saml_certs();
DROP TABLE saml_sessions;
