/*
 * consumer.c - a program using an installed retort the way a user's would:
 * only <retort.h>, linked through find_package or pkg-config.
 */
#include <retort.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
	printf("retort %s\n", rt_version());
	/* The header and the library must come from the same release. */
	if (strcmp(rt_version(), RT_VERSION_STRING) != 0) {
		fprintf(stderr, "header %s, library %s\n", RT_VERSION_STRING, rt_version());
		return 1;
	}
	return 0;
}
