-- SAML SOAP back-channel single logout (issue 13): the SOAP
-- SingleLogoutService a service provider's metadata declares, and the
-- outbox of LogoutRequests for sessions ended without their browser, each
-- POSTed to one service provider with retries (as logout_deliveries are
-- to OIDC clients). A row keeps the NameID and SessionIndex the SP was
-- sent: the session's participants are forgotten once enqueued.

-- +goose Up
ALTER TABLE saml_service_providers ADD COLUMN soap_slo_url TEXT NOT NULL DEFAULT '';

CREATE TABLE saml_logout_deliveries (
    tenant_id       TEXT COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              TEXT COLLATE "C" NOT NULL,
    sp_id           TEXT COLLATE "C" NOT NULL,
    session_id      TEXT COLLATE "C" NOT NULL,
    user_id         TEXT COLLATE "C" NOT NULL DEFAULT '',
    name_id         TEXT COLLATE "C" NOT NULL,
    name_id_format  TEXT COLLATE "C" NOT NULL DEFAULT '',
    session_index   TEXT COLLATE "C" NOT NULL,
    status          TEXT COLLATE "C" NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT COLLATE "C" NOT NULL DEFAULT '',
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_until     TIMESTAMPTZ,
    lease_token     TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, sp_id) REFERENCES saml_service_providers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX saml_logout_deliveries_due ON saml_logout_deliveries (status, next_attempt_at);
CREATE INDEX saml_logout_deliveries_session ON saml_logout_deliveries (tenant_id, session_id);

-- +goose Down
DROP TABLE saml_logout_deliveries;
ALTER TABLE saml_service_providers DROP COLUMN soap_slo_url;
