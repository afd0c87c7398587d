// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MD4 as described in RFC 1320, written from the RFC's description:
 * three rounds of sixteen steps over 512-bit blocks, little-endian words,
 * padding with a single 1 bit, zeros and the 64-bit message bit length.
 */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "md4.h"

static inline uint32_t rol32(uint32_t v, unsigned int s)
{
	return (v << s) | (v >> (32 - s));
}

static inline uint32_t md4_f(uint32_t x, uint32_t y, uint32_t z)
{
	return (x & y) | (~x & z);
}

static inline uint32_t md4_g(uint32_t x, uint32_t y, uint32_t z)
{
	return (x & y) | (x & z) | (y & z);
}

static inline uint32_t md4_h(uint32_t x, uint32_t y, uint32_t z)
{
	return x ^ y ^ z;
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/* Word order of the second and third rounds; the first is 0..15. */
static const uint8_t round2_idx[16] = {
	0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15
};

static const uint8_t round3_idx[16] = {
	0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15
};

static const uint8_t round1_shift[4] = { 3, 7, 11, 19 };
static const uint8_t round2_shift[4] = { 3, 5, 9, 13 };
static const uint8_t round3_shift[4] = { 3, 9, 11, 15 };

#define MD4_K2	0x5a827999U
#define MD4_K3	0x6ed9eba1U

/*
 * Each step updates one of a, b, c, d in rotation; keeping the four words
 * in an array indexed by (-step mod 4) expresses that rotation directly.
 */
static void md4_transform(uint32_t state[4], const uint8_t block[64])
{
	uint32_t x[16], v[4];
	unsigned int i, a, b, c, d;

	for (i = 0; i < 16; i++)
		x[i] = get_le32(block + 4 * i);
	memcpy(v, state, sizeof(v));

	for (i = 0; i < 16; i++) {
		a = (4 - i % 4) % 4;
		b = (a + 1) % 4;
		c = (a + 2) % 4;
		d = (a + 3) % 4;
		v[a] = rol32(v[a] + md4_f(v[b], v[c], v[d]) + x[i],
			     round1_shift[i % 4]);
	}
	for (i = 0; i < 16; i++) {
		a = (4 - i % 4) % 4;
		b = (a + 1) % 4;
		c = (a + 2) % 4;
		d = (a + 3) % 4;
		v[a] = rol32(v[a] + md4_g(v[b], v[c], v[d]) +
			     x[round2_idx[i]] + MD4_K2, round2_shift[i % 4]);
	}
	for (i = 0; i < 16; i++) {
		a = (4 - i % 4) % 4;
		b = (a + 1) % 4;
		c = (a + 2) % 4;
		d = (a + 3) % 4;
		v[a] = rol32(v[a] + md4_h(v[b], v[c], v[d]) +
			     x[round3_idx[i]] + MD4_K3, round3_shift[i % 4]);
	}

	for (i = 0; i < 4; i++)
		state[i] += v[i];
}

void md4_init(struct md4_ctx *ctx)
{
	ctx->state[0] = 0x67452301;
	ctx->state[1] = 0xefcdab89;
	ctx->state[2] = 0x98badcfe;
	ctx->state[3] = 0x10325476;
	ctx->length = 0;
	ctx->used = 0;
}

void md4_update(struct md4_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t n;

	ctx->length += len;
	while (len) {
		n = MD4_BLOCK_SIZE - ctx->used;
		if (n > len)
			n = len;
		memcpy(ctx->block + ctx->used, p, n);
		ctx->used += n;
		p += n;
		len -= n;
		if (ctx->used == MD4_BLOCK_SIZE) {
			md4_transform(ctx->state, ctx->block);
			ctx->used = 0;
		}
	}
}

void md4_final(struct md4_ctx *ctx, uint8_t out[MD4_DIGEST_SIZE])
{
	uint64_t bits = ctx->length * 8;
	unsigned int i;

	ctx->block[ctx->used++] = 0x80;
	if (ctx->used > 56) {
		memset(ctx->block + ctx->used, 0, MD4_BLOCK_SIZE - ctx->used);
		md4_transform(ctx->state, ctx->block);
		ctx->used = 0;
	}
	memset(ctx->block + ctx->used, 0, 56 - ctx->used);
	put_le32(ctx->block + 56, (uint32_t)bits);
	put_le32(ctx->block + 60, (uint32_t)(bits >> 32));
	md4_transform(ctx->state, ctx->block);

	for (i = 0; i < 4; i++)
		put_le32(out + 4 * i, ctx->state[i]);
	memset(ctx, 0, sizeof(*ctx));
}

void md4_digest(const void *data, size_t len, uint8_t out[MD4_DIGEST_SIZE])
{
	struct md4_ctx ctx;

	md4_init(&ctx);
	md4_update(&ctx, data, len);
	md4_final(&ctx, out);
}

int nt_hash(const char *password, uint8_t out[MD4_DIGEST_SIZE])
{
	gunichar2 *utf16;
	glong units, i;
	uint8_t *le;

	utf16 = g_utf8_to_utf16(password, -1, NULL, &units, NULL);
	if (!utf16)
		return -EINVAL;

	le = g_malloc(units * 2 + 1);
	for (i = 0; i < units; i++) {
		le[2 * i] = utf16[i] & 0xff;
		le[2 * i + 1] = utf16[i] >> 8;
	}
	md4_digest(le, units * 2, out);

	memset(le, 0, units * 2);
	memset(utf16, 0, units * 2);
	g_free(le);
	g_free(utf16);
	return 0;
}
