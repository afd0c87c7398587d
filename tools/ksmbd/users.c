// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The password database.
 *
 * A text file, one user per line: "name:HASH", where HASH is the NT hash
 * (MD4 of the UTF-16LE password) in base64, 24 characters with padding, as
 * ksmbd-tools writes it; 32 hex digits are read as well (the format of our
 * first versions). A '!' before the hash disables the account. Blank
 * lines and lines starting with '#' are ignored. The file is rewritten
 * atomically with mode 0600, in base64, so ksmbd-tools can read it.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "users.h"
#include "util.h"

bool user_name_valid(const char *name, const char **why)
{
	if (!*name || strlen(name) > USER_NAME_MAX_BYTES) {
		*why = "user names are 1 to 255 bytes long";
		return false;
	}
	if (!g_utf8_validate(name, -1, NULL)) {
		*why = "user names must be valid UTF-8";
		return false;
	}
	if (strchr(name, ':') || str_has_ctrl(name)) {
		*why = "user names cannot contain ':' or control characters";
		return false;
	}
	if (*name == '#') {
		*why = "user names cannot start with '#'";
		return false;
	}
	return true;
}

static void user_free(gpointer p)
{
	struct user *u = p;

	g_free(u->name);
	memset(u, 0, sizeof(*u));
	g_free(u);
}

struct user_db *userdb_new(const char *path)
{
	struct user_db *db = g_new0(struct user_db, 1);

	db->path = g_strdup(path);
	db->list = g_ptr_array_new_with_free_func(user_free);
	db->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					   NULL);
	return db;
}

void userdb_free(struct user_db *db)
{
	if (!db)
		return;
	g_hash_table_unref(db->by_key);
	g_ptr_array_unref(db->list);
	g_free(db->path);
	g_free(db);
}

static void db_insert(struct user_db *db, struct user *u)
{
	g_ptr_array_add(db->list, u);
	g_hash_table_insert(db->by_key, name_key(u->name), u);
}

#define HASH_B64_LEN	24	/* 16 bytes: 22 characters and "==" */

static bool is_b64_char(char c)
{
	return g_ascii_isalnum(c) || c == '+' || c == '/';
}

/* An NT hash, base64 (ksmbd-tools) or hex; 0 or -EINVAL. */
static int hash_decode(const char *in, uint8_t *hash)
{
	guchar *raw;
	gsize len;
	int i;

	if (strlen(in) == 2 * MD4_DIGEST_SIZE)
		return hex_decode(in, hash, MD4_DIGEST_SIZE);
	if (strlen(in) != HASH_B64_LEN || strcmp(in + 22, "=="))
		return -EINVAL;
	for (i = 0; i < 22; i++)
		if (!is_b64_char(in[i]))
			return -EINVAL;
	raw = g_base64_decode(in, &len);
	if (len != MD4_DIGEST_SIZE) {
		g_free(raw);
		return -EINVAL;
	}
	memcpy(hash, raw, MD4_DIGEST_SIZE);
	memset(raw, 0, len);
	g_free(raw);
	return 0;
}

static struct user *parse_line(char *line, const char *path, unsigned int n,
			       GError **error)
{
	char *colon = strchr(line, ':');
	const char *why, *hex;
	struct user *u;

	if (!colon) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_PARSE,
			    "%s:%u: expected 'name:HASH'", path, n);
		return NULL;
	}
	*colon = '\0';
	if (!user_name_valid(line, &why)) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_PARSE,
			    "%s:%u: invalid user name: %s", path, n, why);
		return NULL;
	}
	u = g_new0(struct user, 1);
	hex = colon + 1;
	if (*hex == '!') {
		u->disabled = true;
		hex++;
	}
	if (hash_decode(hex, u->hash)) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_PARSE,
			    "%s:%u: the hash of '%s' is neither base64 (24 characters) nor 32 hex digits",
			    path, n, line);
		user_free(u);
		return NULL;
	}
	u->name = g_strdup(line);
	return u;
}

static int parse_db(struct user_db *db, char *text, GError **error)
{
	char **lines = g_strsplit(text, "\n", -1);
	struct user *u, *old;
	unsigned int i;
	char *line;
	int ret = 0;

	for (i = 0; lines[i] && !ret; i++) {
		line = str_trim(lines[i]);
		if (!*line || *line == '#')
			continue;
		u = parse_line(line, db->path, i + 1, error);
		if (!u) {
			ret = -EINVAL;
			break;
		}
		old = userdb_find(db, u->name);
		if (old) {
			g_set_error(error, KSMBD_ERROR, KSMBD_ERR_PARSE,
				    "%s:%u: user '%s' is listed twice (as '%s')",
				    db->path, i + 1, u->name, old->name);
			user_free(u);
			ret = -EINVAL;
			break;
		}
		db_insert(db, u);
	}
	for (i = 0; lines[i]; i++)
		memset(lines[i], 0, strlen(lines[i]));
	g_strfreev(lines);
	return ret;
}

/* Load the file; a missing file is an empty database. */
int userdb_load(struct user_db *db, GError **error)
{
	GError *err = NULL;
	char *text;
	gsize len;
	int ret;

	g_hash_table_remove_all(db->by_key);
	g_ptr_array_set_size(db->list, 0);
	db->exists = false;
	memset(&db->st, 0, sizeof(db->st));

	if (stat(db->path, &db->st)) {
		if (errno == ENOENT)
			return 0;
		ret = -errno;
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_IO, "%s: %s",
			    db->path, g_strerror(errno));
		return ret;
	}
	if (!g_file_get_contents(db->path, &text, &len, &err)) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_IO, "%s",
			    err->message);
		g_error_free(err);
		return -EIO;
	}
	db->exists = true;
	if (strlen(text) != len) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_PARSE,
			    "%s: contains NUL bytes", db->path);
		ret = -EINVAL;
	} else {
		ret = parse_db(db, text, error);
	}
	memset(text, 0, len);
	g_free(text);
	if (ret) {
		g_hash_table_remove_all(db->by_key);
		g_ptr_array_set_size(db->list, 0);
	}
	return ret;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static void swap_contents(struct user_db *a, struct user_db *b)
{
	GPtrArray *list = a->list;
	GHashTable *by_key = a->by_key;

	a->list = b->list;
	a->by_key = b->by_key;
	a->exists = b->exists;
	a->st = b->st;
	b->list = list;
	b->by_key = by_key;
}

/*
 * Reload the database if the file changed since it was loaded, so users
 * added with ksmbd.adduser can log in at once. On a parse error the old
 * contents stay. Returns 1 if reloaded, 0 if unchanged, or -errno.
 */
int userdb_refresh(struct user_db *db)
{
	struct user_db *fresh;
	GError *err = NULL;
	struct stat st;
	bool exists = !stat(db->path, &st);

	if (exists == db->exists && (!exists || same_file(&st, &db->st)))
		return 0;

	fresh = userdb_new(db->path);
	if (userdb_load(fresh, &err)) {
		pr_err("%s; keeping the previous user list", err->message);
		g_error_free(err);
		/* Do not retry on every login until the file changes again. */
		if (exists)
			db->st = st;
		db->exists = exists;
		userdb_free(fresh);
		return -EINVAL;
	}
	swap_contents(db, fresh);
	userdb_free(fresh);
	pr_info("reloaded %s: %u users", db->path, db->list->len);
	return 1;
}

char *userdb_format(const struct user_db *db)
{
	GString *s = g_string_new(NULL);
	struct user *u;
	unsigned int i;
	char *b64;

	for (i = 0; i < db->list->len; i++) {
		u = db->list->pdata[i];
		b64 = g_base64_encode(u->hash, MD4_DIGEST_SIZE);
		g_string_append_printf(s, "%s:%s%s\n", u->name,
				       u->disabled ? "!" : "", b64);
		memset(b64, 0, strlen(b64));
		g_free(b64);
	}
	return g_string_free(s, FALSE);
}

int userdb_save(struct user_db *db, GError **error)
{
	char *text = userdb_format(db);
	size_t len = strlen(text);
	char *dir = g_path_get_dirname(db->path);
	int ret;

	if (g_mkdir_with_parents(dir, 0755)) {
		ret = -errno;
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_IO,
			    "cannot create %s: %s", dir, g_strerror(errno));
	} else {
		ret = write_file_atomic(db->path, text, len, 0600, error);
	}
	if (!ret && stat(db->path, &db->st) == 0)
		db->exists = true;
	memset(text, 0, len);
	g_free(text);
	g_free(dir);
	return ret;
}

struct user *userdb_find(const struct user_db *db, const char *name)
{
	char *key = name_key(name);
	struct user *u = g_hash_table_lookup(db->by_key, key);

	g_free(key);
	return u;
}

static int hash_password(const char *password, uint8_t *hash,
			 GError **error)
{
	if (nt_hash(password, hash)) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_VALUE,
			    "the password is not valid UTF-8");
		return -EINVAL;
	}
	return 0;
}

static struct user *find_existing(struct user_db *db, const char *name,
				  GError **error)
{
	struct user *u = userdb_find(db, name);

	if (!u)
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_NOENT,
			    "user '%s' does not exist in %s", name, db->path);
	return u;
}

int userdb_add(struct user_db *db, const char *name, const char *password,
	       GError **error)
{
	const char *why;
	struct user *u;

	if (!user_name_valid(name, &why)) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_VALUE,
			    "invalid user name '%s': %s", name, why);
		return -EINVAL;
	}
	u = userdb_find(db, name);
	if (u) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_EXISTS,
			    "user '%s' already exists in %s", u->name,
			    db->path);
		return -EEXIST;
	}
	u = g_new0(struct user, 1);
	if (hash_password(password, u->hash, error)) {
		user_free(u);
		return -EINVAL;
	}
	u->name = g_strdup(name);
	db_insert(db, u);
	return 0;
}

int userdb_set_password(struct user_db *db, const char *name,
			const char *password, GError **error)
{
	struct user *u = find_existing(db, name, error);

	if (!u)
		return -ENOENT;
	return hash_password(password, u->hash, error);
}

int userdb_set_disabled(struct user_db *db, const char *name, bool disabled,
			GError **error)
{
	struct user *u = find_existing(db, name, error);

	if (!u)
		return -ENOENT;
	u->disabled = disabled;
	return 0;
}

int userdb_delete(struct user_db *db, const char *name, GError **error)
{
	struct user *u = find_existing(db, name, error);
	char *key;

	if (!u)
		return -ENOENT;
	key = name_key(u->name);
	g_hash_table_remove(db->by_key, key);
	g_free(key);
	g_ptr_array_remove(db->list, u);
	return 0;
}
