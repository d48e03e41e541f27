-- The SAML 2.0 identity provider (issue 13): the service providers each
-- tenant registered, the IDs of the AuthnRequests they sent (SHA-256
-- hashes, kept until the request could no longer be fresh, so each is
-- accepted once), and each tenant's signing certificates (private key
-- sealed with the master key; a certificate not yet activated is
-- announced in metadata before it signs).

-- +goose Up
CREATE TABLE saml_service_providers (
    tenant_id               TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                      TEXT    NOT NULL,
    name                    TEXT    NOT NULL,
    entity_id               TEXT    NOT NULL,
    acs_urls                TEXT    NOT NULL DEFAULT '[]',
    slo_url                 TEXT    NOT NULL DEFAULT '',
    metadata_url            TEXT    NOT NULL DEFAULT '',
    signing_certs           TEXT    NOT NULL DEFAULT '[]',
    encryption_cert         TEXT    NOT NULL DEFAULT '',
    name_id_format          TEXT    NOT NULL,
    attributes              TEXT    NOT NULL DEFAULT '{}',
    sign_response           INTEGER NOT NULL,
    sign_assertion          INTEGER NOT NULL,
    encrypt_assertion       INTEGER NOT NULL,
    require_signed_requests INTEGER NOT NULL,
    allow_idp_initiated     INTEGER NOT NULL,
    session_lifetime        INTEGER NOT NULL,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL,
    version                 INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, entity_id)
) STRICT;

CREATE TABLE saml_request_ids (
    tenant_id  TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    sp_id      TEXT    NOT NULL,
    id_hash    BLOB    NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, sp_id, id_hash),
    FOREIGN KEY (tenant_id, sp_id) REFERENCES saml_service_providers (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX saml_request_ids_expires ON saml_request_ids (expires_at);

CREATE TABLE saml_certs (
    tenant_id    TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id           TEXT    NOT NULL,
    private      BLOB    NOT NULL,
    cert_der     BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    activated_at INTEGER,
    retired_at   INTEGER,
    PRIMARY KEY (tenant_id, id)
) STRICT;

-- +goose Down
DROP TABLE saml_certs;
DROP TABLE saml_request_ids;
DROP TABLE saml_service_providers;
