-- OIDC back-channel and front-channel logout (issue 20): each client's
-- logout URIs; the clients that got tokens in each browser session (rows
-- go with their session and their client), so that the relying parties
-- of an ended session are known; and the outbox of logout tokens, each
-- POSTed to one client's backchannel_logout_uri with retries.

-- +goose Up
ALTER TABLE clients ADD COLUMN backchannel_logout_uri TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN backchannel_logout_session_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN frontchannel_logout_uri TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN frontchannel_logout_session_required INTEGER NOT NULL DEFAULT 0;

CREATE TABLE session_clients (
    tenant_id  TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    session_id TEXT    NOT NULL,
    client_id  TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, session_id, client_id),
    FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE logout_deliveries (
    tenant_id       TEXT    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id              TEXT    NOT NULL,
    client_id       TEXT    NOT NULL,
    session_id      TEXT    NOT NULL DEFAULT '',
    user_id         TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    lease_token     TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX logout_deliveries_due ON logout_deliveries (status, next_attempt_at);
CREATE INDEX logout_deliveries_session ON logout_deliveries (tenant_id, session_id);

-- +goose Down
DROP TABLE logout_deliveries;
DROP TABLE session_clients;
ALTER TABLE clients DROP COLUMN frontchannel_logout_session_required;
ALTER TABLE clients DROP COLUMN frontchannel_logout_uri;
ALTER TABLE clients DROP COLUMN backchannel_logout_session_required;
ALTER TABLE clients DROP COLUMN backchannel_logout_uri;
