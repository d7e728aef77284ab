-- MariaDB takes no offset in a datetime literal (strict mode refuses
-- '2026-01-02 03:04:05.5+02:00'): a program writing an instant given with
-- an offset converts it to the connection's zone, UTC. A 'T' between
-- date and time, an upper-case uuid, a time without seconds, a numeric
-- without a fraction.
INSERT INTO samples (id, i16, i32, i64, flag, r, d, amount, label_text, body, data,
  day, clock, at, at_tz, uid, doc, mood)
VALUES (900, 1, 2, 3, 1, 1.5, 2.5, 7, 'l', 'b', x'00', '2026-01-02', '10:11',
  '2026-01-02T03:04:05', CONVERT_TZ('2026-01-02 03:04:05.5', '+02:00', '+00:00'),
  '123456789ABCDEF00123456789ABCDEF', '{}', 'sad');
