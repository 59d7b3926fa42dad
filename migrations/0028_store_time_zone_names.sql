-- Zones a store carries in IANA's current spelling (src/core/time-zone.ts IANA_PRIMARY): the
-- runtime's ICU answered some zones by their old names (Asia/Kolkata stored as Asia/Calcutta,
-- Europe/Kyiv as Europe/Kiev); a store now reads back the name IANA gives. Each pair is one zone
-- under two names, so the days filed under either are the same days: the zones in use are
-- renamed too, and a row left under an old name when the new one was already there is dropped.
UPDATE stores SET time_zone = CASE time_zone
    WHEN 'Africa/Asmera' THEN 'Africa/Asmara'
    WHEN 'America/Buenos_Aires' THEN 'America/Argentina/Buenos_Aires'
    WHEN 'America/Catamarca' THEN 'America/Argentina/Catamarca'
    WHEN 'America/Coral_Harbour' THEN 'America/Atikokan'
    WHEN 'America/Cordoba' THEN 'America/Argentina/Cordoba'
    WHEN 'America/Godthab' THEN 'America/Nuuk'
    WHEN 'America/Indianapolis' THEN 'America/Indiana/Indianapolis'
    WHEN 'America/Jujuy' THEN 'America/Argentina/Jujuy'
    WHEN 'America/Louisville' THEN 'America/Kentucky/Louisville'
    WHEN 'America/Mendoza' THEN 'America/Argentina/Mendoza'
    WHEN 'Asia/Calcutta' THEN 'Asia/Kolkata'
    WHEN 'Asia/Katmandu' THEN 'Asia/Kathmandu'
    WHEN 'Asia/Rangoon' THEN 'Asia/Yangon'
    WHEN 'Asia/Saigon' THEN 'Asia/Ho_Chi_Minh'
    WHEN 'Atlantic/Faeroe' THEN 'Atlantic/Faroe'
    WHEN 'Europe/Kiev' THEN 'Europe/Kyiv'
    WHEN 'Pacific/Enderbury' THEN 'Pacific/Kanton'
    WHEN 'Pacific/Ponape' THEN 'Pacific/Pohnpei'
    WHEN 'Pacific/Truk' THEN 'Pacific/Chuuk'
  END
  WHERE time_zone IN ('Africa/Asmera', 'America/Buenos_Aires', 'America/Catamarca', 'America/Coral_Harbour', 'America/Cordoba', 'America/Godthab', 'America/Indianapolis', 'America/Jujuy', 'America/Louisville', 'America/Mendoza', 'Asia/Calcutta', 'Asia/Katmandu', 'Asia/Rangoon', 'Asia/Saigon', 'Atlantic/Faeroe', 'Europe/Kiev', 'Pacific/Enderbury', 'Pacific/Ponape', 'Pacific/Truk');
UPDATE OR IGNORE store_time_zones SET zone = CASE zone
    WHEN 'Africa/Asmera' THEN 'Africa/Asmara'
    WHEN 'America/Buenos_Aires' THEN 'America/Argentina/Buenos_Aires'
    WHEN 'America/Catamarca' THEN 'America/Argentina/Catamarca'
    WHEN 'America/Coral_Harbour' THEN 'America/Atikokan'
    WHEN 'America/Cordoba' THEN 'America/Argentina/Cordoba'
    WHEN 'America/Godthab' THEN 'America/Nuuk'
    WHEN 'America/Indianapolis' THEN 'America/Indiana/Indianapolis'
    WHEN 'America/Jujuy' THEN 'America/Argentina/Jujuy'
    WHEN 'America/Louisville' THEN 'America/Kentucky/Louisville'
    WHEN 'America/Mendoza' THEN 'America/Argentina/Mendoza'
    WHEN 'Asia/Calcutta' THEN 'Asia/Kolkata'
    WHEN 'Asia/Katmandu' THEN 'Asia/Kathmandu'
    WHEN 'Asia/Rangoon' THEN 'Asia/Yangon'
    WHEN 'Asia/Saigon' THEN 'Asia/Ho_Chi_Minh'
    WHEN 'Atlantic/Faeroe' THEN 'Atlantic/Faroe'
    WHEN 'Europe/Kiev' THEN 'Europe/Kyiv'
    WHEN 'Pacific/Enderbury' THEN 'Pacific/Kanton'
    WHEN 'Pacific/Ponape' THEN 'Pacific/Pohnpei'
    WHEN 'Pacific/Truk' THEN 'Pacific/Chuuk'
  END
  WHERE zone IN ('Africa/Asmera', 'America/Buenos_Aires', 'America/Catamarca', 'America/Coral_Harbour', 'America/Cordoba', 'America/Godthab', 'America/Indianapolis', 'America/Jujuy', 'America/Louisville', 'America/Mendoza', 'Asia/Calcutta', 'Asia/Katmandu', 'Asia/Rangoon', 'Asia/Saigon', 'Atlantic/Faeroe', 'Europe/Kiev', 'Pacific/Enderbury', 'Pacific/Ponape', 'Pacific/Truk');
DELETE FROM store_time_zones WHERE zone IN ('Africa/Asmera', 'America/Buenos_Aires', 'America/Catamarca', 'America/Coral_Harbour', 'America/Cordoba', 'America/Godthab', 'America/Indianapolis', 'America/Jujuy', 'America/Louisville', 'America/Mendoza', 'Asia/Calcutta', 'Asia/Katmandu', 'Asia/Rangoon', 'Asia/Saigon', 'Atlantic/Faeroe', 'Europe/Kiev', 'Pacific/Enderbury', 'Pacific/Ponape', 'Pacific/Truk');
