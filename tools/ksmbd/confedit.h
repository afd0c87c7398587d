/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * In-place editing of ksmbd.conf, keeping comments and other sections.
 */
#ifndef KSMBD_CONFEDIT_H
#define KSMBD_CONFEDIT_H

#include <stdbool.h>

#include <glib.h>

struct conf_edit {
	char *path;
	GPtrArray *lines;	/* physical lines, without newlines */
	mode_t mode;		/* of the file, or 0644 for a new one */
};

struct conf_option {
	char *key;
	char *value;
};

int confedit_load(struct conf_edit *e, const char *path, GError **error);
void confedit_clear(struct conf_edit *e);
char *confedit_text(const struct conf_edit *e);
int confedit_save(struct conf_edit *e, GError **error);

int confedit_parse_option(const char *arg, struct conf_option *opt,
			  GError **error);
void confedit_option_clear(struct conf_option *opt);

bool confedit_has_share(const struct conf_edit *e, const char *name);
int confedit_add_share(struct conf_edit *e, const char *name,
		       const struct conf_option *opts, unsigned int n,
		       GError **error);
int confedit_update_share(struct conf_edit *e, const char *name,
			  const struct conf_option *opts, unsigned int n,
			  GError **error);
int confedit_delete_share(struct conf_edit *e, const char *name,
			  GError **error);
int confedit_validate(const struct conf_edit *e, GError **error);

#endif
