-- A timestamptz given with an offset, a uuid in upper case, a time
-- without seconds, a numeric without a fraction.
INSERT INTO samples (id, i16, i32, i64, flag, r, d, amount, label_text, body, data,
  day, clock, at, at_tz, uid, doc, mood)
VALUES (900, 1, 2, 3, true, 1.5, 2.5, 7, 'l', 'b', '\x00', '2026-01-02', '10:11',
  '2026-01-02T03:04:05', '2026-01-02 03:04:05.5+02:00',
  '12345678-9ABC-DEF0-0123-456789ABCDEF', '{}', 'sad');
