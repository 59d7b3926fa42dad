-- Zones a store carries in IANA's current spelling (src/core/zone-spellings.ts IANA_PRIMARY): the
-- runtime's ICU answered some zones by their old names (Asia/Kolkata stored as Asia/Calcutta,
-- Europe/Kyiv as Europe/Kiev); a store now reads back the name IANA gives. Each pair is one zone
-- under two names, so the days filed under either are the same days: the zones in use are
-- renamed too, and a row left under an old name when the new one was already there is dropped.
-- The pairs are listed once, in a table of their own for the three statements, then dropped.
CREATE TABLE zone_renames_0028 (old TEXT PRIMARY KEY, new TEXT NOT NULL);
INSERT INTO zone_renames_0028 (old, new) VALUES
  ('Africa/Asmera', 'Africa/Asmara'),
  ('America/Buenos_Aires', 'America/Argentina/Buenos_Aires'),
  ('America/Catamarca', 'America/Argentina/Catamarca'),
  ('America/Coral_Harbour', 'America/Atikokan'),
  ('America/Cordoba', 'America/Argentina/Cordoba'),
  ('America/Godthab', 'America/Nuuk'),
  ('America/Indianapolis', 'America/Indiana/Indianapolis'),
  ('America/Jujuy', 'America/Argentina/Jujuy'),
  ('America/Louisville', 'America/Kentucky/Louisville'),
  ('America/Mendoza', 'America/Argentina/Mendoza'),
  ('Asia/Calcutta', 'Asia/Kolkata'),
  ('Asia/Katmandu', 'Asia/Kathmandu'),
  ('Asia/Rangoon', 'Asia/Yangon'),
  ('Asia/Saigon', 'Asia/Ho_Chi_Minh'),
  ('Atlantic/Faeroe', 'Atlantic/Faroe'),
  ('Europe/Kiev', 'Europe/Kyiv'),
  ('Pacific/Enderbury', 'Pacific/Kanton'),
  ('Pacific/Ponape', 'Pacific/Pohnpei'),
  ('Pacific/Truk', 'Pacific/Chuuk');
UPDATE stores SET time_zone = (SELECT new FROM zone_renames_0028 WHERE old = stores.time_zone)
  WHERE time_zone IN (SELECT old FROM zone_renames_0028);
UPDATE OR IGNORE store_time_zones
  SET zone = (SELECT new FROM zone_renames_0028 WHERE old = store_time_zones.zone)
  WHERE zone IN (SELECT old FROM zone_renames_0028);
DELETE FROM store_time_zones WHERE zone IN (SELECT old FROM zone_renames_0028);
DROP TABLE zone_renames_0028;
