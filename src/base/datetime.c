/*
 * datetime.c - dates and times as text, checked to exist (datetime.h).
 */
#include "base/datetime.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* n digits at *p, advancing; their value in *value. */
static bool digits(const char **p, int n, int *value)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit((*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*value = v;
	return true;
}

static int days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

bool rt__datetime_date(const char **p)
{
	int year, month, day;
	if (!p || !*p || !digits(p, 4, &year) || **p != '-')
		return false;
	(*p)++;
	if (!digits(p, 2, &month) || **p != '-')
		return false;
	(*p)++;
	return digits(p, 2, &day) && month >= 1 && month <= 12 && day >= 1 &&
	       day <= days_in_month(year, month);
}

bool rt__datetime_time(const char **p)
{
	int hour, minute, second;
	if (!p || !*p || !digits(p, 2, &hour) || **p != ':')
		return false;
	(*p)++;
	if (!digits(p, 2, &minute) || hour > 23 || minute > 59)
		return false;
	if (**p != ':')
		return true;
	(*p)++;
	if (!digits(p, 2, &second) || second > 60)
		return false;
	if (**p == '.') {
		(*p)++;
		if (!is_digit(**p))
			return false;
		while (is_digit(**p))
			(*p)++;
	}
	return true;
}
