/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * smb.conf-style configuration parser.
 */
#ifndef KSMBD_CONFIG_H
#define KSMBD_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#define CONF_MAX_SIZE	(16 << 20)

enum conf_line_type {
	CONF_LINE_BLANK,
	CONF_LINE_COMMENT,
	CONF_LINE_SECTION,
	CONF_LINE_PARAM,
};

/* One logical line: physical lines first..last joined by continuations. */
struct conf_line {
	enum conf_line_type type;
	unsigned int first;
	unsigned int last;
	char *name;		/* section name, or key as written */
	char *value;		/* parameter value, trimmed */
};

/* Nested "include =" files: deeper ones are refused (loops, mistakes). */
#define CONF_MAX_INCLUDE_DEPTH	8

struct conf_param {
	char *key;		/* as written */
	char *norm;		/* normalized for comparison */
	char *value;
	const char *file;	/* the file it is in (owned by conf_file) */
	unsigned int line;
};

struct conf_section {
	char *name;
	const char *file;	/* the file of its header (owned by conf_file) */
	unsigned int line;
	GPtrArray *params;	/* struct conf_param * in file order */
};

struct conf_file {
	char *path;
	GPtrArray *sections;	/* struct conf_section * in file order */
	GPtrArray *files;	/* char *: @path and every included file */
};

GPtrArray *conf_lex(const char *path, const char *text, GError **error);
struct conf_file *conf_parse_text(const char *path, const char *text,
				  GError **error);
struct conf_file *conf_parse_file(const char *path, GError **error);
void conf_free(struct conf_file *conf);

struct conf_section *conf_find_section(const struct conf_file *conf,
				       const char *name);
struct conf_param *conf_find_param(const struct conf_section *sec,
				   const char *key);
const char *conf_get(const struct conf_section *sec, const char *key);
bool conf_is_global(const char *section_name);

void conf_error_add(GError **error, int code, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

char *conf_key_norm(const char *key);
bool conf_key_equal(const char *a, const char *b);

int conf_parse_bool(const char *v, bool *out);
int conf_parse_u32(const char *v, uint32_t *out);
int conf_parse_size(const char *v, uint32_t *out);
int conf_parse_mode(const char *v, uint16_t *out);
char **conf_parse_list(const char *v);

#endif
