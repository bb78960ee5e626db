-- User names are unique regardless of case ('ADMIN' beside 'admin' impersonated the other in every log line and
-- member list). Users whose name differed only in case from an older user's are renamed to
-- '<name>-renamed-<first 8 characters of their id>' (the oldest keeps its name); a superuser tells them their new name.
WITH ranked AS (
    SELECT id, row_number() OVER (PARTITION BY lower(username) ORDER BY created_at, id) AS n FROM app_user
)
UPDATE app_user u SET username = left(u.username, 80) || '-renamed-' || left(u.id::text, 8)
FROM ranked r WHERE r.id = u.id AND r.n > 1;
CREATE UNIQUE INDEX app_user_username_lower ON app_user (lower(username));
