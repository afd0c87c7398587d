/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The password database: one "name:HASH" line per user (ksmbdpwd.db(5)).
 */
#ifndef KSMBD_USERS_H
#define KSMBD_USERS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include <glib.h>

#include "md4.h"

#define USER_NAME_MAX_BYTES	255

struct user {
	char *name;
	uint8_t hash[MD4_DIGEST_SIZE];
	bool disabled;
};

struct user_db {
	char *path;
	GPtrArray *list;		/* struct user * in file order */
	GHashTable *by_key;		/* name_key() -> struct user * */
	bool exists;			/* the file was there when loaded */
	struct stat st;			/* of the file when loaded */
};

bool user_name_valid(const char *name, const char **why);

struct user_db *userdb_new(const char *path);
void userdb_free(struct user_db *db);
int userdb_load(struct user_db *db, GError **error);
int userdb_refresh(struct user_db *db);
int userdb_save(struct user_db *db, GError **error);
char *userdb_format(const struct user_db *db);

struct user *userdb_find(const struct user_db *db, const char *name);
int userdb_add(struct user_db *db, const char *name, const char *password,
	       GError **error);
int userdb_set_password(struct user_db *db, const char *name,
			const char *password, GError **error);
int userdb_set_disabled(struct user_db *db, const char *name, bool disabled,
			GError **error);
int userdb_delete(struct user_db *db, const char *name, GError **error);

#endif
