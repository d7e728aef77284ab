/*
 * author_test.h - a new Author with its fields set, for the tests of
 * tests/orm/models.rt that write many (upserts, set-based writes).
 */
#ifndef RT_TESTS_AUTHOR_TEST_H
#define RT_TESTS_AUTHOR_TEST_H

#include <stdlib.h>

#include "orm_test.h"

/* A pending Author of session s; exits when it cannot be made. */
static inline Author *new_author(rt_session *s, const char *name, const char *email, int karma)
{
	Author *a = NULL;
	CHECK_OK(Author_new(&a, s));
	if (!a)
		exit(1);
	CHECK_OK(Author_set_name(a, name));
	CHECK_OK(Author_set_email(a, email));
	a->karma = karma;
	return a;
}

#endif
