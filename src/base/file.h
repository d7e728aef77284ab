/*
 * file.h - reading a file that a user named, defensively.
 *
 * Every file retort reads because a command line, a configuration or a
 * schema named it (schemas and their includes, migration scripts,
 * retort.ini, templates) goes through here, so that none of them can make
 * retort hang or grow without bound: only a regular file is read (not a
 * FIFO, which would block, nor a device such as /dev/zero, which never
 * ends, nor a directory), never more than a limit, and the first failed
 * allocation stops the read.
 */
#ifndef RT_BASE_FILE_H
#define RT_BASE_FILE_H

#include <stddef.h>

#include "base/buf.h"

/* The largest file read: far beyond any schema, script or configuration
 * written by hand or generated for thousands of tables. */
#define RT_FILE_MAX_BYTES ((size_t)16 << 20)

/* Reads the whole of the file at path into out (appended; its text stays
 * NUL-terminated through rt__buf_cstr). On failure returns RT_ENOTFOUND
 * (no such file) or RT_EIO, with why (at most why_size bytes) saying why
 * in words that fit after "cannot read 'path': ", and out holds nothing
 * of the file. Records no error: the caller words the message. */
int rt__file_read(rt_buf *out, const char *path, size_t max, char *why, size_t why_size);

#endif
