-- SAML single logout (issue 13): the service providers each Gatehouse
-- session signed into (its session participants), with the NameID and
-- SessionIndex of the assertion each was sent, so that a LogoutRequest is
-- matched to its session and the logout reaches the session's other
-- service providers. Rows go with their session and with their SP.

-- +goose Up
CREATE TABLE saml_sessions (
    tenant_id      TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    session_id     TEXT    NOT NULL,
    sp_id          TEXT    NOT NULL,
    name_id        TEXT    NOT NULL,
    name_id_format TEXT    NOT NULL DEFAULT '',
    session_index  TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, session_id, sp_id),
    FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, sp_id) REFERENCES saml_service_providers (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX saml_sessions_index ON saml_sessions (tenant_id, sp_id, session_index);
CREATE INDEX saml_sessions_name_id ON saml_sessions (tenant_id, sp_id, name_id);

-- +goose Down
DROP TABLE saml_sessions;
