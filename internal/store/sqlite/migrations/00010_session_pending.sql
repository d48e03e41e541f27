-- What a session's sign-in still owes (second_factor, phishing_resistant,
-- risk_challenge, password_change) as a JSON list: a session that owes
-- anything is not signed in. notify_new_device holds back the new-device
-- notice of a challenged sign-in until the challenge is passed.
--
-- Before this, a pending risk challenge lived 30 minutes in the rate-limit
-- counters, and the account API judged a password-only session by the MFA
-- policy. Sessions from then that may still owe a step are revoked (their
-- users sign in again): password-only ones started in the last 30
-- minutes, those of users with a second factor, and those of users who
-- must change their password.

-- +goose Up
ALTER TABLE sessions ADD COLUMN pending TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sessions ADD COLUMN notify_new_device INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET revoked_at = unixepoch('now') * 1000000
WHERE revoked_at IS NULL AND acr NOT IN ('urn:gatehouse:acr:mfa', 'phr') AND (
    created_at > (unixepoch('now') - 1800) * 1000000
    OR EXISTS (SELECT 1 FROM mfa_factors f
               WHERE f.tenant_id = sessions.tenant_id AND f.user_id = sessions.user_id AND f.type <> 'recovery_codes')
    OR EXISTS (SELECT 1 FROM verifications v
               WHERE v.tenant_id = sessions.tenant_id AND v.user_id = sessions.user_id
                 AND v.purpose = 'password_change' AND v.used_at IS NULL AND v.expires_at > unixepoch('now') * 1000000));

-- +goose Down
ALTER TABLE sessions DROP COLUMN notify_new_device;
ALTER TABLE sessions DROP COLUMN pending;
