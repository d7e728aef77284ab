/*
 * values_text.c - the text forms of dates, times, timestamps and uuids
 * (format and parse, public and as the codec in values.c needs them), the
 * current time, and the rt_value_ref constructors.
 *
 * What is written is what SQLAlchemy writes on SQLite (timestamps as
 * "YYYY-MM-DD HH:MM:SS.ffffff" with six fraction digits, uuids as 32 hex
 * digits, enums as their value text), and PostgreSQL reads the same text
 * into its native types. Reading accepts what either backend hands back:
 * PostgreSQL's shorter fractions and UTC offsets, SQLite's numbers where a
 * numeric column's text was stored as a number, and so on. A value the
 * field cannot hold is an error naming the column, never a silent zero.
 */
#include "orm/orm.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error.h"

/* ------------------------------------------------------------------------ */
/* Calendar arithmetic (for converting UTC offsets)                          */
/* ------------------------------------------------------------------------ */

static bool is_leap(int32_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int32_t year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * algorithm), and back. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t year = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = year + (*m <= 2);
}

/* Moves a timestamp by minutes (an offset from UTC, negated). */
static int shift_minutes(rt_timestamp *ts, int minutes)
{
	int64_t day = days_from_civil(ts->date.year, ts->date.month, ts->date.day);
	int64_t minute_of_day = (int64_t)ts->time.hour * 60 + ts->time.minute + minutes;
	while (minute_of_day < 0) {
		minute_of_day += 1440;
		day--;
	}
	while (minute_of_day >= 1440) {
		minute_of_day -= 1440;
		day++;
	}
	int64_t y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	if (y < 1 || y > 9999)
		return RT_EINVAL;
	ts->date.year = (int32_t)y;
	ts->date.month = (uint8_t)m;
	ts->date.day = (uint8_t)d;
	ts->time.hour = (uint8_t)(minute_of_day / 60);
	ts->time.minute = (uint8_t)(minute_of_day % 60);
	return RT_OK;
}

/* ------------------------------------------------------------------------ */
/* Text forms                                                                */
/* ------------------------------------------------------------------------ */

void rt_date_format(char *out, rt_date v)
{
	snprintf(out, RT_TIMESTAMP_TEXT_MAX, "%04d-%02u-%02u", (int)v.year, (unsigned)v.month,
		 (unsigned)v.day);
}

void rt_time_format(char *out, rt_time v)
{
	if (v.microsecond)
		snprintf(out, RT_TIMESTAMP_TEXT_MAX, "%02u:%02u:%02u.%06u", (unsigned)v.hour,
			 (unsigned)v.minute, (unsigned)v.second, (unsigned)(v.microsecond % 1000000));
	else
		snprintf(out, RT_TIMESTAMP_TEXT_MAX, "%02u:%02u:%02u", (unsigned)v.hour,
			 (unsigned)v.minute, (unsigned)v.second);
}

void rt_timestamp_format(char *out, rt_timestamp v)
{
	rt_date_format(out, v.date);
	out[10] = ' ';
	rt_time_format(out + 11, v.time);
}

void rt__time_format_fixed(char *out, rt_time v)
{
	snprintf(out, RT_TIMESTAMP_TEXT_MAX, "%02u:%02u:%02u.%06u", (unsigned)v.hour,
		 (unsigned)v.minute, (unsigned)v.second, (unsigned)(v.microsecond % 1000000));
}

void rt__timestamp_format_fixed(char *out, rt_timestamp v)
{
	rt_date_format(out, v.date);
	out[10] = ' ';
	rt__time_format_fixed(out + 11, v.time);
}

static const char hex_digits[] = "0123456789abcdef";

void rt_uuid_format(char *out, rt_uuid v)
{
	char *p = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex_digits[v.bytes[i] >> 4];
		*p++ = hex_digits[v.bytes[i] & 15];
	}
	*p = '\0';
}

void rt__uuid_format_hex(char *out, rt_uuid v)
{
	for (int i = 0; i < 16; i++) {
		out[2 * i] = hex_digits[v.bytes[i] >> 4];
		out[2 * i + 1] = hex_digits[v.bytes[i] & 15];
	}
	out[32] = '\0';
}

/* Reads exactly n digits at *p; -1 when they are not there. */
static int digits(const char **p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	return v;
}

static bool parse_date_at(const char **p, rt_date *out)
{
	const char *s = *p;
	int year = digits(&s, 4);
	if (year < 1 || *s++ != '-')
		return false;
	int month = digits(&s, 2);
	if (month < 1 || month > 12 || *s++ != '-')
		return false;
	int day = digits(&s, 2);
	if (day < 1 || day > days_in_month(year, month))
		return false;
	out->year = year;
	out->month = (uint8_t)month;
	out->day = (uint8_t)day;
	*p = s;
	return true;
}

/* HH:MM[:SS[.f{1,}]]; fraction digits past the sixth are dropped. */
static bool parse_time_at(const char **p, rt_time *out)
{
	const char *s = *p;
	int hour = digits(&s, 2);
	if (hour < 0 || hour > 23 || *s++ != ':')
		return false;
	int minute = digits(&s, 2);
	if (minute < 0 || minute > 59)
		return false;
	int second = 0;
	uint32_t micro = 0;
	if (*s == ':') {
		s++;
		second = digits(&s, 2);
		if (second < 0 || second > 60)
			return false;
		if (*s == '.') {
			s++;
			if (*s < '0' || *s > '9')
				return false;
			uint32_t scale = 100000;
			while (*s >= '0' && *s <= '9') {
				micro += (uint32_t)(*s - '0') * scale;
				scale /= 10;
				s++;
			}
		}
	}
	out->hour = (uint8_t)hour;
	out->minute = (uint8_t)minute;
	out->second = (uint8_t)second;
	out->microsecond = micro;
	*p = s;
	return true;
}

/* An optional UTC offset: Z, +HH, +HHMM, +HH:MM (or -). */
static bool parse_offset_at(const char **p, bool *has_offset, int *minutes)
{
	const char *s = *p;
	*has_offset = false;
	*minutes = 0;
	if (*s == ' ' && (s[1] == '+' || s[1] == '-' || s[1] == 'Z'))
		s++;
	if (*s == 'Z' || *s == 'z') {
		*has_offset = true;
		*p = s + 1;
		return true;
	}
	if (*s != '+' && *s != '-')
		return true;
	int sign = *s++ == '-' ? -1 : 1;
	int hours = digits(&s, 2);
	if (hours < 0 || hours > 23)
		return false;
	int mins = 0;
	if (*s == ':')
		s++;
	if (*s >= '0' && *s <= '9') {
		mins = digits(&s, 2);
		if (mins < 0 || mins > 59)
			return false;
		if (*s == ':') { /* seconds of an old local-mean-time offset */
			s++;
			if (digits(&s, 2) < 0)
				return false;
		}
	}
	*has_offset = true;
	*minutes = sign * (hours * 60 + mins);
	*p = s;
	return true;
}

int rt_date_parse(rt_date *out, const char *text)
{
	if (!out || !text)
		return rt__error_set(RT_EINVAL, "rt_date_parse: NULL argument");
	const char *p = text;
	rt_date v;
	if (!parse_date_at(&p, &v) || *p)
		return rt__error_set(RT_EINVAL, "not a date (YYYY-MM-DD): '%s'", text);
	*out = v;
	return RT_OK;
}

int rt_time_parse(rt_time *out, const char *text)
{
	if (!out || !text)
		return rt__error_set(RT_EINVAL, "rt_time_parse: NULL argument");
	const char *p = text;
	rt_time v;
	if (!parse_time_at(&p, &v) || *p)
		return rt__error_set(RT_EINVAL, "not a time (HH:MM:SS[.ffffff]): '%s'", text);
	*out = v;
	return RT_OK;
}

/* The digit at t[i] as its value, or above 9 for any other character. */
#define DIGIT(t, i) ((unsigned)((unsigned char)(t)[i] - '0'))

/* "YYYY-MM-DD HH:MM:SS" with an optional fraction and nothing after: the
 * shape every backend prints a timestamp in, read at fixed places, since
 * it comes once a row and the general reading below costs three times as
 * much. False for anything else (a 'T', an offset, a date alone), which
 * the general reading takes. The tests are in order and stop at the
 * first miss, so nothing past the text's end is read. */
static bool parse_timestamp_fixed(const char *t, rt_timestamp *out)
{
	if (!(DIGIT(t, 0) <= 9 && DIGIT(t, 1) <= 9 && DIGIT(t, 2) <= 9 && DIGIT(t, 3) <= 9 &&
	      t[4] == '-' && DIGIT(t, 5) <= 9 && DIGIT(t, 6) <= 9 && t[7] == '-' &&
	      DIGIT(t, 8) <= 9 && DIGIT(t, 9) <= 9 && t[10] == ' ' && DIGIT(t, 11) <= 9 &&
	      DIGIT(t, 12) <= 9 && t[13] == ':' && DIGIT(t, 14) <= 9 && DIGIT(t, 15) <= 9 &&
	      t[16] == ':' && DIGIT(t, 17) <= 9 && DIGIT(t, 18) <= 9))
		return false;
	int year = (int)(DIGIT(t, 0) * 1000 + DIGIT(t, 1) * 100 + DIGIT(t, 2) * 10 + DIGIT(t, 3));
	int month = (int)(DIGIT(t, 5) * 10 + DIGIT(t, 6));
	int day = (int)(DIGIT(t, 8) * 10 + DIGIT(t, 9));
	unsigned hour = DIGIT(t, 11) * 10 + DIGIT(t, 12);
	unsigned minute = DIGIT(t, 14) * 10 + DIGIT(t, 15);
	unsigned second = DIGIT(t, 17) * 10 + DIGIT(t, 18);
	uint32_t micro = 0;
	const char *s = t + 19;
	if (*s == '.') {
		static const uint32_t scale[6] = {100000, 10000, 1000, 100, 10, 1};
		s++;
		if (DIGIT(s, 0) > 9)
			return false;
		/* Digits past the sixth are dropped; i stops counting there,
		 * however long the fraction. */
		for (int i = 0; DIGIT(s, 0) <= 9; s++)
			if (i < 6)
				micro += DIGIT(s, 0) * scale[i++];
	}
	if (*s || year < 1 || month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60)
		return false;
	memset(out, 0, sizeof(*out));
	out->date.year = year;
	out->date.month = (uint8_t)month;
	out->date.day = (uint8_t)day;
	out->time.hour = (uint8_t)hour;
	out->time.minute = (uint8_t)minute;
	out->time.second = (uint8_t)second;
	out->time.microsecond = micro;
	return true;
}

/* A timestamp and its offset, if any; a date alone is midnight. */
static bool parse_timestamp_parts(const char *text, rt_timestamp *out, bool *has_offset,
				  int *minutes)
{
	const char *p = text;
	*has_offset = false;
	*minutes = 0;
	if (parse_timestamp_fixed(text, out))
		return true;
	memset(out, 0, sizeof(*out));
	if (!parse_date_at(&p, &out->date))
		return false;
	if (*p == ' ' || *p == 'T' || *p == 't') {
		p++;
		if (!parse_time_at(&p, &out->time))
			return false;
		if (!parse_offset_at(&p, has_offset, minutes))
			return false;
	}
	return *p == '\0';
}

int rt_timestamp_parse(rt_timestamp *out, const char *text)
{
	if (!out || !text)
		return rt__error_set(RT_EINVAL, "rt_timestamp_parse: NULL argument");
	rt_timestamp v;
	bool has_offset;
	int minutes;
	if (!parse_timestamp_parts(text, &v, &has_offset, &minutes) ||
	    (has_offset && minutes && shift_minutes(&v, -minutes) < 0))
		return rt__error_set(RT_EINVAL,
				     "not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]): '%s'",
				     text);
	*out = v;
	return RT_OK;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 32 hex digits, dashes allowed between pairs (and braces around), as
 * Python's uuid.UUID and PostgreSQL read them. */
static bool parse_uuid_text(const char *text, size_t len, rt_uuid *out)
{
	const char *p = text, *end = text + len;
	if (p < end && *p == '{') {
		if (end[-1] != '}')
			return false;
		p++;
		end--;
	}
	int n = 0;
	while (p < end) {
		if (*p == '-') {
			p++;
			continue;
		}
		if (n == 16 || end - p < 2)
			return false;
		int hi = hex_value(p[0]), lo = hex_value(p[1]);
		if (hi < 0 || lo < 0)
			return false;
		out->bytes[n++] = (uint8_t)(hi << 4 | lo);
		p += 2;
	}
	return n == 16;
}

int rt_uuid_parse(rt_uuid *out, const char *text)
{
	if (!out || !text)
		return rt__error_set(RT_EINVAL, "rt_uuid_parse: NULL argument");
	rt_uuid v;
	if (!parse_uuid_text(text, strlen(text), &v))
		return rt__error_set(RT_EINVAL, "not a uuid: '%s'", text);
	*out = v;
	return RT_OK;
}

rt_timestamp rt_timestamp_now(void)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t seconds = (int64_t)now.tv_sec;
	int64_t day = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
	int64_t second_of_day = seconds - day * 86400;
	int64_t y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	rt_timestamp ts;
	ts.date.year = (int32_t)y;
	ts.date.month = (uint8_t)m;
	ts.date.day = (uint8_t)d;
	ts.time.hour = (uint8_t)(second_of_day / 3600);
	ts.time.minute = (uint8_t)(second_of_day / 60 % 60);
	ts.time.second = (uint8_t)(second_of_day % 60);
	ts.time.microsecond = (uint32_t)(now.tv_nsec / 1000);
	return ts;
}

/* ------------------------------------------------------------------------ */
/* Query values                                                              */
/* ------------------------------------------------------------------------ */

rt_value_ref rt_null(void)
{
	rt_value_ref v;
	memset(&v, 0, sizeof(v));
	return v;
}

rt_value_ref rt_int(int64_t value)
{
	rt_value_ref v = rt_null();
	v.kind = RT_FIELD_INT64;
	v.as.i = value;
	return v;
}

rt_value_ref rt_bool(bool value)
{
	rt_value_ref v = rt_null();
	v.kind = RT_FIELD_BOOL;
	v.as.i = value;
	return v;
}

rt_value_ref rt_double(double value)
{
	rt_value_ref v = rt_null();
	v.kind = RT_FIELD_DOUBLE;
	v.as.d = value;
	return v;
}

static rt_value_ref text_kind(rt_field_kind kind, const char *value)
{
	rt_value_ref v = rt_null();
	if (value) {
		v.kind = kind;
		v.as.s = value;
	}
	return v;
}

rt_value_ref rt_text(const char *value)
{
	return text_kind(RT_FIELD_TEXT, value);
}

rt_value_ref rt_numeric(const char *value)
{
	return text_kind(RT_FIELD_NUMERIC, value);
}

rt_value_ref rt_json(const char *value)
{
	return text_kind(RT_FIELD_JSON, value);
}

rt_value_ref rt_blob(const void *data, size_t len)
{
	rt_value_ref v = rt_null();
	if (data) {
		v.kind = RT_FIELD_BLOB;
		v.as.bytes.data = data;
		v.as.bytes.len = len;
	}
	return v;
}

rt_value_ref rt_blob_bytes(rt_bytes value)
{
	return rt_blob(value.data, value.len);
}

rt_value_ref rt_date_value(rt_date value)
{
	rt_value_ref v = rt_null();
	v.kind = RT_FIELD_DATE;
	v.as.date = value;
	return v;
}

rt_value_ref rt_time_value(rt_time value)
{
	rt_value_ref v = rt_null();
	v.kind = RT_FIELD_TIME;
	v.as.time = value;
	return v;
}

rt_value_ref rt_timestamp_value(rt_timestamp value)
{
	rt_value_ref v = rt_null();
	v.kind = RT_FIELD_TIMESTAMP;
	v.as.timestamp = value;
	return v;
}

rt_value_ref rt_timestamptz_value(rt_timestamp value)
{
	rt_value_ref v = rt_null();
	v.kind = RT_FIELD_TIMESTAMPTZ;
	v.as.timestamp = value;
	return v;
}

rt_value_ref rt_uuid_value(rt_uuid value)
{
	rt_value_ref v = rt_null();
	v.kind = RT_FIELD_UUID;
	v.as.uuid = value;
	return v;
}

rt_value_ref rt_enum_value(const rt_enum_desc *type, int value)
{
	rt_value_ref v = rt_null();
	if (value != 0) {
		v.kind = RT_FIELD_ENUM;
		v.as.i = value;
		v.enum_type = type;
	}
	return v;
}

rt_value_ref rt_enum_int(int value)
{
	return rt_enum_value(NULL, value);
}


bool rt__timestamp_from_text(const char *text, bool to_utc, rt_timestamp *out)
{
	bool has_offset;
	int minutes;
	if (!parse_timestamp_parts(text, out, &has_offset, &minutes))
		return false;
	if (to_utc && has_offset && minutes)
		return shift_minutes(out, -minutes) == RT_OK;
	return true;
}

bool rt__time_from_text(const char *text, rt_time *out)
{
	const char *s = text;
	bool has_offset;
	int minutes;
	return parse_time_at(&s, out) && parse_offset_at(&s, &has_offset, &minutes) && !*s;
}

bool rt__uuid_from_text(const char *text, size_t len, rt_uuid *out)
{
	return parse_uuid_text(text, len, out);
}

bool rt__date_valid(rt_date d)
{
	return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
	       d.day <= days_in_month(d.year, d.month);
}

bool rt__time_valid(rt_time t)
{
	return t.hour < 24 && t.minute < 60 && t.second <= 60 && t.microsecond < 1000000;
}
