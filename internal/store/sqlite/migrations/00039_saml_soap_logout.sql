-- SAML SOAP back-channel single logout (issue 13): the SOAP
-- SingleLogoutService a service provider's metadata declares, and the
-- outbox of LogoutRequests for sessions ended without their browser, each
-- POSTed to one service provider with retries (as logout_deliveries are
-- to OIDC clients). A row keeps the NameID and SessionIndex the SP was
-- sent: the session's participants are forgotten once enqueued.

-- +goose Up
ALTER TABLE saml_service_providers ADD COLUMN soap_slo_url TEXT NOT NULL DEFAULT '';

CREATE TABLE saml_logout_deliveries (
    tenant_id       TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              TEXT    NOT NULL,
    sp_id           TEXT    NOT NULL,
    session_id      TEXT    NOT NULL,
    user_id         TEXT    NOT NULL DEFAULT '',
    name_id         TEXT    NOT NULL,
    name_id_format  TEXT    NOT NULL DEFAULT '',
    session_index   TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    lease_token     TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, sp_id) REFERENCES saml_service_providers (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX saml_logout_deliveries_due ON saml_logout_deliveries (status, next_attempt_at);
CREATE INDEX saml_logout_deliveries_session ON saml_logout_deliveries (tenant_id, session_id);

-- +goose Down
DROP TABLE saml_logout_deliveries;
ALTER TABLE saml_service_providers DROP COLUMN soap_slo_url;
