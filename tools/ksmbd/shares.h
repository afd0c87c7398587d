/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Share definitions and the tree connect access decision.
 */
#ifndef KSMBD_SHARES_H
#define KSMBD_SHARES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "globals.h"

#define SHARE_NAME_MAX_CHARS	80
#define IPC_SHARE_NAME		"IPC$"

struct share {
	char *name;
	char *path;			/* NULL for IPC$ */
	char *comment;
	uint32_t flags;			/* SMB_SERVER_SHARE_* */
	bool available;
	uint16_t create_mask;
	uint16_t dir_mask;
	uint16_t force_create_mode;
	uint16_t force_dir_mode;
	char *force_user;
	char *force_group;
	char **valid_users;
	char **invalid_users;
	char **read_list;
	char **write_list;
	char **hosts_allow;
	char **hosts_deny;
};

struct share_table {
	GPtrArray *list;		/* struct share * in config order */
	GHashTable *by_key;		/* name_key() -> struct share * */
	struct share *homes;		/* the [homes] template, or NULL */
};

/* What share_instance() substitutes for %U, %S and %H. */
struct share_subst {
	const char *user;		/* the session's user name */
	const char *home;		/* their home directory; NULL: none */
	bool guest;			/* a guest session: no home share */
	const char *service;		/* set by share_instance() */
};

/* Who is connecting, as far as access lists care. */
struct user_ident {
	const char *name;		/* Unix account name */
	gid_t gid;			/* primary group */
	const gid_t *groups;		/* supplementary groups */
	int ngroups;
};

bool share_key_known(const char *norm_key);
bool share_name_valid(const char *name, const char **why);

struct share_table *shares_load(const struct conf_file *conf,
				GError **error);
void shares_free(struct share_table *tbl);
struct share *shares_find(const struct share_table *tbl, const char *name);
struct share *share_instance(const struct share_table *tbl, const char *name,
			     struct share_subst *sub);
void share_free(struct share *sh);

bool share_user_in_list(char *const *list, const struct user_ident *who);
int share_check_access(const struct share *sh, const struct user_ident *who,
		       bool guest, bool *read_only, const char **why);

#endif
