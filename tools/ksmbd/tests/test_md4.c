// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MD4 against the RFC 1320 test suite, padding boundaries and NT hashes.
 */
#include <errno.h>

#include "../md4.h"
#include "../util.h"
#include "tests.h"

static void check_digest(const char *input, size_t len, const char *hex)
{
	uint8_t want[MD4_DIGEST_SIZE], got[MD4_DIGEST_SIZE];
	struct md4_ctx ctx;
	size_t i;

	CHECK_INT(hex_decode(hex, want, sizeof(want)), 0);
	md4_digest(input, len, got);
	CHECK_MEM(got, want, sizeof(want));

	/* The same input fed one byte at a time. */
	md4_init(&ctx);
	for (i = 0; i < len; i++)
		md4_update(&ctx, input + i, 1);
	md4_final(&ctx, got);
	CHECK_MEM(got, want, sizeof(want));
}

static void test_rfc1320(void)
{
	static const struct {
		const char *in, *md4;
	} suite[] = {
		{ "", "31d6cfe0d16ae931b73c59d7e0c089c0" },
		{ "a", "bde52cb31de33e46245e05fbdbd6fb24" },
		{ "abc", "a448017aaf21d8525fc10ae87aa6729d" },
		{ "message digest", "d9130a8164549fe818874806e1c7014b" },
		{ "abcdefghijklmnopqrstuvwxyz",
		  "d79e1c308aa5bbcdeea8ed63df412da9" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		  "043f8582f241db351ce627e153e7f0e4" },
		{
			"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
			"e33b4ddc9c38f2199c3e7b164fcc0536"
		},
	};
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(suite); i++)
		check_digest(suite[i].in, strlen(suite[i].in), suite[i].md4);
}

/* Lengths around the 56 and 64 byte padding edges (OpenSSL values). */
static void test_padding_edges(void)
{
	static const struct {
		size_t len;
		const char *md4;
	} edges[] = {
		{ 55, "92f32bb82c95ad10e8f87ae58ab06807" },
		{ 56, "374d5f08103b7092c83b4626ebceffab" },
		{ 63, "2870452596e98fffd48332289b3472b9" },
		{ 64, "b1abf956a5ae6f3221e5fe85e300fbb0" },
		{ 65, "afc1a3308fc176a53238a09aeddec2e6" },
		{ 119, "b55ae15e41e55643b0c3daad5e05c905" },
		{ 120, "d8f9adfc41ec43552619606c70cfd287" },
	};
	char buf[128];
	unsigned int i;

	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < G_N_ELEMENTS(edges); i++)
		check_digest(buf, edges[i].len, edges[i].md4);
}

static void check_nt(const char *password, const char *hex)
{
	uint8_t want[MD4_DIGEST_SIZE], got[MD4_DIGEST_SIZE];

	CHECK_INT(hex_decode(hex, want, sizeof(want)), 0);
	CHECK_INT(nt_hash(password, got), 0);
	CHECK_MEM(got, want, sizeof(want));
}

static void test_nt_hash(void)
{
	uint8_t out[MD4_DIGEST_SIZE];

	/* MS-NLMP section 4.2.1: NTOWFv1("Password"). */
	check_nt("Password", "a4f49c406510bdcab6824ee7c30fd852");
	check_nt("", "31d6cfe0d16ae931b73c59d7e0c089c0");
	/* Non-ASCII, and a character outside the BMP (surrogate pair). */
	check_nt("P\xc3\xa4ssw\xc3\xb6rd\xe2\x82\xac",
		 "04e9d4087e1303bea8e5239aa5ddd064");
	check_nt("a\xf0\x9f\x98\x80\x62", "ffdc8b254768fd97bf7c08fcffd66fc1");
	CHECK_INT(nt_hash("bad \xff utf8", out), -EINVAL);
}

static void test_hex(void)
{
	uint8_t b[2];
	char s[5];

	CHECK_INT(hex_decode("aB09", b, 2), 0);
	CHECK_INT(b[0], 0xab);
	CHECK_INT(b[1], 0x09);
	hex_encode(b, 2, s);
	CHECK_STR(s, "AB09");
	CHECK_INT(hex_decode("aB0", b, 2), -EINVAL);
	CHECK_INT(hex_decode("aB0g", b, 2), -EINVAL);
	CHECK_INT(hex_decode("aB091", b, 2), -EINVAL);
}

void test_md4(void)
{
	test_rfc1320();
	test_padding_edges();
	test_nt_hash();
	test_hex();
}
