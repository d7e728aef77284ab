/*
 * file.c - reading a file that a user named (file.h).
 */
#include "base/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "retort/common.h"

static int fail(rt_buf *out, size_t start, char *why, size_t why_size, int code,
		const char *text)
{
	snprintf(why, why_size, "%s", text);
	out->len = start; /* nothing of the file stays */
	if (out->ptr)
		out->ptr[start] = '\0';
	return code;
}

static int fail_errno(rt_buf *out, size_t start, char *why, size_t why_size, int err)
{
	char text[256];
	if (strerror_r(err, text, sizeof(text)) != 0)
		snprintf(text, sizeof(text), "error %d", err);
	return fail(out, start, why, why_size, err == ENOENT ? RT_ENOTFOUND : RT_EIO, text);
}

static void limit_text(char *text, size_t size, size_t max)
{
	if (max % ((size_t)1 << 20) == 0)
		snprintf(text, size, "%zu MiB", max >> 20);
	else
		snprintf(text, size, "%zu bytes", max);
}

int rt__file_read(rt_buf *out, const char *path, size_t max, char *why, size_t why_size)
{
	size_t start = out->len;
	char limit[32], text[128];
	limit_text(limit, sizeof(limit), max);
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer, forever; it changes nothing for a regular file. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fail_errno(out, start, why, why_size, errno);
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int err = errno;
		close(fd);
		return fail_errno(out, start, why, why_size, err);
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return fail(out, start, why, why_size, RT_EIO, "it is a directory");
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fail(out, start, why, why_size, RT_EIO,
			    S_ISFIFO(st.st_mode) ? "it is a FIFO, not a regular file"
			    : S_ISSOCK(st.st_mode) ? "it is a socket, not a regular file"
						   : "it is a device, not a regular file");
	}
	if ((unsigned long long)st.st_size > max) {
		close(fd);
		snprintf(text, sizeof(text), "it is larger than the limit of %s", limit);
		return fail(out, start, why, why_size, RT_EIO, text);
	}
	char chunk[16384];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;
			close(fd);
			return fail_errno(out, start, why, why_size, err);
		}
		if (n == 0)
			break;
		/* A file that grows while it is read stops at the limit too. */
		if (out->len - start + (size_t)n > max) {
			close(fd);
			snprintf(text, sizeof(text), "it is larger than the limit of %s", limit);
			return fail(out, start, why, why_size, RT_EIO, text);
		}
		rt__buf_put(out, chunk, (size_t)n);
		if (rt__buf_failed(out)) {
			close(fd);
			return fail(out, start, why, why_size, RT_EIO, "out of memory");
		}
	}
	close(fd);
	return RT_OK;
}
