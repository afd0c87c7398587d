/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MD4 message digest (RFC 1320) and the NT password hash built on it.
 */
#ifndef KSMBD_MD4_H
#define KSMBD_MD4_H

#include <stddef.h>
#include <stdint.h>

#define MD4_DIGEST_SIZE	16
#define MD4_BLOCK_SIZE	64

struct md4_ctx {
	uint32_t state[4];
	uint64_t length;		/* bytes hashed so far */
	uint8_t block[MD4_BLOCK_SIZE];
	size_t used;			/* bytes waiting in block[] */
};

void md4_init(struct md4_ctx *ctx);
void md4_update(struct md4_ctx *ctx, const void *data, size_t len);
void md4_final(struct md4_ctx *ctx, uint8_t out[MD4_DIGEST_SIZE]);
void md4_digest(const void *data, size_t len, uint8_t out[MD4_DIGEST_SIZE]);

/*
 * NT hash (MS-NLMP NTOWFv1): MD4 of the UTF-16LE form of a UTF-8 password.
 * Returns 0, or -EINVAL when the password is not valid UTF-8.
 */
int nt_hash(const char *password, uint8_t out[MD4_DIGEST_SIZE]);

#endif
