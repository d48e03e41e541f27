-- User search (issue 18): GET /admin/v1/users?q= is a substring of the
-- email, the username or the name. A LIKE '%…%' scans every user of the
-- tenant (~75 ms at 100,000 users, docs/benchmarks.md §38); an FTS5 table
-- with the trigram tokenizer answers substrings of three characters or
-- more from its index. Shorter terms still scan (email and username only).
--
-- The FTS rows are keyed by users_search_ids.docid, not by the users
-- table's rowid: users has no INTEGER PRIMARY KEY, so VACUUM may renumber
-- its rowids. Triggers keep both tables in step with users, including
-- deletes cascaded from a tenant. secure-delete (SQLite 3.44+) removes a
-- deleted row's tokens from the index segments, where FTS5 would otherwise
-- keep them, marked deleted, until a merge.

-- +goose Up
CREATE TABLE users_search_ids (
    docid     INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    UNIQUE (tenant_id, user_id)
) STRICT;

CREATE VIRTUAL TABLE users_search USING fts5(tenant_id UNINDEXED, email, username, name, tokenize = 'trigram');
-- A deleted or changed user's old text leaves the index at once, not at
-- the next segment merge: erasure must not leave trigrams behind.
INSERT INTO users_search (users_search, rank) VALUES ('secure-delete', 1);

-- +goose StatementBegin
CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_search_ids (tenant_id, user_id) VALUES (new.tenant_id, new.id);
    INSERT INTO users_search (rowid, tenant_id, email, username, name) VALUES (
        last_insert_rowid(), new.tenant_id, new.email_norm, new.username_norm,
        lower(concat_ws(' ', json_extract(new.profile, '$.name'), json_extract(new.profile, '$.given_name'),
            json_extract(new.profile, '$.family_name'), json_extract(new.profile, '$.nickname'))));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER users_search_update AFTER UPDATE OF email_norm, username_norm, profile ON users BEGIN
    UPDATE users_search SET email = new.email_norm, username = new.username_norm,
        name = lower(concat_ws(' ', json_extract(new.profile, '$.name'), json_extract(new.profile, '$.given_name'),
            json_extract(new.profile, '$.family_name'), json_extract(new.profile, '$.nickname')))
    WHERE rowid = (SELECT docid FROM users_search_ids WHERE tenant_id = old.tenant_id AND user_id = old.id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
    DELETE FROM users_search
    WHERE rowid = (SELECT docid FROM users_search_ids WHERE tenant_id = old.tenant_id AND user_id = old.id);
    DELETE FROM users_search_ids WHERE tenant_id = old.tenant_id AND user_id = old.id;
END;
-- +goose StatementEnd

INSERT INTO users_search_ids (tenant_id, user_id) SELECT tenant_id, id FROM users ORDER BY tenant_id, id;
INSERT INTO users_search (rowid, tenant_id, email, username, name)
SELECT s.docid, u.tenant_id, u.email_norm, u.username_norm,
    lower(concat_ws(' ', json_extract(u.profile, '$.name'), json_extract(u.profile, '$.given_name'),
        json_extract(u.profile, '$.family_name'), json_extract(u.profile, '$.nickname')))
FROM users u JOIN users_search_ids s ON s.tenant_id = u.tenant_id AND s.user_id = u.id;

-- +goose Down
DROP TRIGGER users_search_delete;
DROP TRIGGER users_search_update;
DROP TRIGGER users_search_insert;
DROP TABLE users_search;
DROP TABLE users_search_ids;
