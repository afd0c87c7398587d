/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small NDR (transfer syntax 2.0, little-endian) encoder and decoder.
 */
#ifndef KSMBD_NDR_H
#define KSMBD_NDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#define NDR_MAX_STRING	4096	/* characters, for strings we decode */

struct ndr_push {
	GByteArray *buf;
	uint32_t next_ref;	/* referent id for the next non-NULL pointer */
};

struct ndr_pull {
	const uint8_t *data;
	size_t len;
	size_t off;
};

void ndr_push_init(struct ndr_push *p);
void ndr_push_free(struct ndr_push *p);
void ndr_push_align(struct ndr_push *p, size_t n);
void ndr_push_u8(struct ndr_push *p, uint8_t v);
void ndr_push_u16(struct ndr_push *p, uint16_t v);
void ndr_push_u32(struct ndr_push *p, uint32_t v);
void ndr_push_bytes(struct ndr_push *p, const void *data, size_t len);
void ndr_push_ptr(struct ndr_push *p, bool present);
int ndr_push_wstring(struct ndr_push *p, const char *utf8);

void ndr_pull_init(struct ndr_pull *p, const void *data, size_t len);
int ndr_pull_align(struct ndr_pull *p, size_t n);
int ndr_pull_u8(struct ndr_pull *p, uint8_t *v);
int ndr_pull_u16(struct ndr_pull *p, uint16_t *v);
int ndr_pull_u32(struct ndr_pull *p, uint32_t *v);
int ndr_pull_bytes(struct ndr_pull *p, void *out, size_t len);
int ndr_pull_ptr(struct ndr_pull *p, bool *present);
int ndr_pull_wstring(struct ndr_pull *p, char **utf8);

void put_le16(uint8_t *p, uint16_t v);
void put_le32(uint8_t *p, uint32_t v);
uint16_t get_le16(const uint8_t *p);
uint32_t get_le32(const uint8_t *p);

#endif
