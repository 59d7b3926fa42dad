-- Admin dashboard sessions are bound to the admin key that opened them, so rotating
-- QB_ADMIN_KEY ends them (sessions of API keys already end when their key is revoked).
-- key_binding: base64url HMAC-SHA256(admin key, "qrbridge.dashboard-session." || id_hash) for a
-- session opened with the admin key; NULL for one opened with an API key. Admin sessions from
-- before this column have NULL and are refused: nobody can tell which key opened them.
ALTER TABLE dashboard_sessions ADD COLUMN key_binding TEXT;
