-- Federation (issue 12): the IDs of the SAML assertions accepted from
-- upstream identity providers, shared by every node through the database,
-- so that an assertion is accepted once even when it is replayed to
-- another node. The ID is kept as a SHA-256 hash until the assertion's
-- NotOnOrAfter, after which the assertion is refused anyway and the
-- maintenance sweep deletes the row.

-- +goose Up
CREATE TABLE saml_assertions (
    tenant_id     TEXT COLLATE "C" NOT NULL,
    connection_id TEXT COLLATE "C" NOT NULL,
    id_hash       BYTEA       NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, connection_id, id_hash),
    FOREIGN KEY (tenant_id, connection_id) REFERENCES connections (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX saml_assertions_expires ON saml_assertions (expires_at);

-- +goose Down
DROP TABLE saml_assertions;
