// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A small NDR encoder and decoder (C706 chapter 14, as used by MS-RPCE):
 * little-endian scalars aligned to their size, relative to the start of
 * the stub; pointers as 32-bit referent ids; [string] wchar_t* as a
 * conformant varying array of UTF-16LE units including the final NUL.
 */
#include <errno.h>
#include <string.h>

#include "ndr.h"

/* Referent ids count up from here, four apart, like Windows does. */
#define NDR_FIRST_REF	0x00020000

void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

uint16_t get_le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void ndr_push_init(struct ndr_push *p)
{
	p->buf = g_byte_array_new();
	p->next_ref = NDR_FIRST_REF;
}

void ndr_push_free(struct ndr_push *p)
{
	if (p->buf)
		g_byte_array_unref(p->buf);
	p->buf = NULL;
}

void ndr_push_align(struct ndr_push *p, size_t n)
{
	static const uint8_t zeros[8];
	size_t pad = (n - p->buf->len % n) % n;

	g_byte_array_append(p->buf, zeros, pad);
}

void ndr_push_u8(struct ndr_push *p, uint8_t v)
{
	g_byte_array_append(p->buf, &v, 1);
}

void ndr_push_u16(struct ndr_push *p, uint16_t v)
{
	uint8_t b[2];

	ndr_push_align(p, 2);
	put_le16(b, v);
	g_byte_array_append(p->buf, b, 2);
}

void ndr_push_u32(struct ndr_push *p, uint32_t v)
{
	uint8_t b[4];

	ndr_push_align(p, 4);
	put_le32(b, v);
	g_byte_array_append(p->buf, b, 4);
}

void ndr_push_bytes(struct ndr_push *p, const void *data, size_t len)
{
	g_byte_array_append(p->buf, data, len);
}

/* A unique or full pointer: a fresh referent id, or 0 for NULL. */
void ndr_push_ptr(struct ndr_push *p, bool present)
{
	if (!present) {
		ndr_push_u32(p, 0);
		return;
	}
	ndr_push_u32(p, p->next_ref);
	p->next_ref += 4;
}

int ndr_push_wstring(struct ndr_push *p, const char *utf8)
{
	gunichar2 *units;
	glong n, i;

	units = g_utf8_to_utf16(utf8, -1, NULL, &n, NULL);
	if (!units)
		return -EINVAL;
	ndr_push_u32(p, n + 1);		/* maximum count */
	ndr_push_u32(p, 0);		/* offset */
	ndr_push_u32(p, n + 1);		/* actual count */
	for (i = 0; i <= n; i++)	/* units[n] is the NUL */
		ndr_push_u16(p, units[i]);
	g_free(units);
	return 0;
}

void ndr_pull_init(struct ndr_pull *p, const void *data, size_t len)
{
	p->data = data;
	p->len = len;
	p->off = 0;
}

int ndr_pull_align(struct ndr_pull *p, size_t n)
{
	size_t pad = (n - p->off % n) % n;

	if (p->len - p->off < pad)
		return -EINVAL;
	p->off += pad;
	return 0;
}

int ndr_pull_bytes(struct ndr_pull *p, void *out, size_t len)
{
	if (p->len - p->off < len)
		return -EINVAL;
	if (out)
		memcpy(out, p->data + p->off, len);
	p->off += len;
	return 0;
}

int ndr_pull_u8(struct ndr_pull *p, uint8_t *v)
{
	return ndr_pull_bytes(p, v, 1);
}

int ndr_pull_u16(struct ndr_pull *p, uint16_t *v)
{
	uint8_t b[2];

	if (ndr_pull_align(p, 2) || ndr_pull_bytes(p, b, 2))
		return -EINVAL;
	*v = get_le16(b);
	return 0;
}

int ndr_pull_u32(struct ndr_pull *p, uint32_t *v)
{
	uint8_t b[4];

	if (ndr_pull_align(p, 4) || ndr_pull_bytes(p, b, 4))
		return -EINVAL;
	*v = get_le32(b);
	return 0;
}

int ndr_pull_ptr(struct ndr_pull *p, bool *present)
{
	uint32_t ref;

	if (ndr_pull_u32(p, &ref))
		return -EINVAL;
	*present = ref != 0;
	return 0;
}

/* A conformant varying UTF-16LE string, returned as UTF-8. */
int ndr_pull_wstring(struct ndr_pull *p, char **utf8)
{
	uint32_t max, offset, actual, i;
	gunichar2 *units;
	uint16_t u;

	if (ndr_pull_u32(p, &max) || ndr_pull_u32(p, &offset) ||
	    ndr_pull_u32(p, &actual))
		return -EINVAL;
	if (offset != 0 || actual > max || actual > NDR_MAX_STRING ||
	    (p->len - p->off) / 2 < actual)
		return -EINVAL;

	units = g_new(gunichar2, actual + 1);
	for (i = 0; i < actual; i++) {
		ndr_pull_u16(p, &u);
		units[i] = u;
	}
	/* The count includes the terminating NUL; tolerate its absence. */
	if (actual && units[actual - 1] == 0)
		actual--;
	for (i = 0; i < actual; i++)
		if (!units[i])
			break;
	*utf8 = i < actual ? NULL :
			     g_utf16_to_utf8(units, actual, NULL, NULL, NULL);
	g_free(units);
	return *utf8 ? 0 : -EINVAL;
}
