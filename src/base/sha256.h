/*
 * sha256.h - SHA-256 (FIPS 180-4), for the checksums that tell when a
 * migration script was edited after it was applied.
 *
 * Incremental: init, update with the bytes as they come, final. Or one
 * call for a buffer held in memory, giving the lower-case hex digest.
 */
#ifndef RT_BASE_SHA256_H
#define RT_BASE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define RT_SHA256_SIZE 32
#define RT_SHA256_HEX_SIZE (2 * RT_SHA256_SIZE + 1) /* with the NUL */

typedef struct rt_sha256 {
	uint32_t state[8];
	uint64_t length;      /* bytes hashed so far */
	unsigned char block[64];
	size_t used;          /* bytes waiting in block */
} rt_sha256;

void rt__sha256_init(rt_sha256 *ctx);
void rt__sha256_update(rt_sha256 *ctx, const void *data, size_t len);
void rt__sha256_final(rt_sha256 *ctx, unsigned char digest[RT_SHA256_SIZE]);

/* The digest of data as 64 lower-case hex digits and a NUL. */
void rt__sha256_hex(const void *data, size_t len, char hex[RT_SHA256_HEX_SIZE]);

#endif
