/*
 * test_sha256.c - SHA-256 against the FIPS 180-2 / NIST example vectors,
 * lengths around the padding boundaries, and incremental hashing in every
 * split.
 */
#include "test.h"

#include "base/sha256.h"

static void hex_of(const char *text, size_t len, char hex[RT_SHA256_HEX_SIZE])
{
	rt__sha256_hex(text, len, hex);
}

static void test_standard_vectors(void)
{
	char hex[RT_SHA256_HEX_SIZE];
	hex_of("", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	hex_of(two_blocks, strlen(two_blocks), hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	const char *long_one = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
			       "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	hex_of(long_one, strlen(long_one), hex);
	CHECK_STR(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void)
{
	char chunk[1000];
	memset(chunk, 'a', sizeof(chunk));
	rt_sha256 ctx;
	rt__sha256_init(&ctx);
	for (int i = 0; i < 1000; i++)
		rt__sha256_update(&ctx, chunk, sizeof(chunk));
	unsigned char digest[RT_SHA256_SIZE];
	rt__sha256_final(&ctx, digest);
	static const unsigned char want[RT_SHA256_SIZE] = {
		0xcd, 0xc7, 0x6e, 0x5c, 0x99, 0x14, 0xfb, 0x92, 0x81, 0xa1, 0xc7,
		0xe2, 0x84, 0xd7, 0x3e, 0x67, 0xf1, 0x80, 0x9a, 0x48, 0xa4, 0x97,
		0x20, 0x0e, 0x04, 0x6d, 0x39, 0xcc, 0xc7, 0x11, 0x2c, 0xd0,
	};
	CHECK(memcmp(digest, want, sizeof(want)) == 0);
}

/* Messages whose padding falls on either side of a block boundary. */
static void test_padding_boundaries(void)
{
	static const struct {
		size_t len;
		const char *hex;
	} cases[] = {
		{55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
		{56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
		{63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
		{64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
		{65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
		{119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"},
	};
	char text[128], hex[RT_SHA256_HEX_SIZE];
	memset(text, 'x', sizeof(text));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hex_of(text, cases[i].len, hex);
		CHECK_STR(hex, cases[i].hex);
	}
}

/* Feeding the bytes in two pieces, split anywhere, changes nothing. */
static void test_incremental(void)
{
	const char *text = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
			   "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	size_t len = strlen(text);
	unsigned char whole[RT_SHA256_SIZE], parts[RT_SHA256_SIZE];
	rt_sha256 ctx;
	rt__sha256_init(&ctx);
	rt__sha256_update(&ctx, text, len);
	rt__sha256_final(&ctx, whole);
	int mismatches = 0;
	for (size_t split = 0; split <= len; split++) {
		rt__sha256_init(&ctx);
		rt__sha256_update(&ctx, text, split);
		rt__sha256_update(&ctx, text + split, len - split);
		rt__sha256_final(&ctx, parts);
		mismatches += memcmp(whole, parts, sizeof(whole)) != 0;
	}
	CHECK_INT(mismatches, 0);
}

int main(void)
{
	RT_RUN(test_standard_vectors);
	RT_RUN(test_million_a);
	RT_RUN(test_padding_boundaries);
	RT_RUN(test_incremental);
	return rt_test_done();
}
