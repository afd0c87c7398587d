// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Share definitions and the tree connect access decision.
 *
 * Every section but [global] defines a share. Share options found in
 * [global] are defaults for all shares. IPC$ always exists; an [IPC$]
 * section may restrict it.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>

#include <linux/smb_server.h>

#include "hosts.h"
#include "log.h"
#include "shares.h"
#include "util.h"

struct share_key {
	const char *norm;
	int (*apply)(struct share *sh, const char *v, const char **why);
	uint32_t flag;		/* boolean keys: the flag they set */
	bool invert;		/* "writeable = yes" clears READ_ONLY */
};

static int set_path(struct share *sh, const char *v, const char **why)
{
	*why = "an absolute path";
	if (*v != '/' || strlen(v) >= SMB_SERVER_PATH_MAX || str_has_ctrl(v))
		return -EINVAL;
	g_free(sh->path);
	sh->path = g_strdup(v);
	return 0;
}

static int set_comment(struct share *sh, const char *v, const char **why)
{
	*why = "at most 255 printable characters";
	if (strlen(v) >= SMB_SERVER_NAME_MAX || str_has_ctrl(v))
		return -EINVAL;
	g_free(sh->comment);
	sh->comment = g_strdup(v);
	return 0;
}

static int set_list(char ***dst, const char *v)
{
	g_strfreev(*dst);
	*dst = conf_parse_list(v);
	return 0;
}

static int set_valid_users(struct share *sh, const char *v,
			   const char **why __unused)
{
	return set_list(&sh->valid_users, v);
}

static int set_invalid_users(struct share *sh, const char *v,
			     const char **why __unused)
{
	return set_list(&sh->invalid_users, v);
}

static int set_read_list(struct share *sh, const char *v,
			 const char **why __unused)
{
	return set_list(&sh->read_list, v);
}

static int set_write_list(struct share *sh, const char *v,
			  const char **why __unused)
{
	return set_list(&sh->write_list, v);
}

static int set_hosts_allow(struct share *sh, const char *v,
			   const char **why __unused)
{
	return set_list(&sh->hosts_allow, v);
}

static int set_hosts_deny(struct share *sh, const char *v,
			  const char **why __unused)
{
	return set_list(&sh->hosts_deny, v);
}

static int set_mode(uint16_t *dst, const char *v, const char **why)
{
	*why = "an octal mode such as 0644";
	return conf_parse_mode(v, dst) ? -EINVAL : 0;
}

static int set_create_mask(struct share *sh, const char *v, const char **why)
{
	return set_mode(&sh->create_mask, v, why);
}

static int set_dir_mask(struct share *sh, const char *v, const char **why)
{
	return set_mode(&sh->dir_mask, v, why);
}

static int set_force_create(struct share *sh, const char *v,
			    const char **why)
{
	return set_mode(&sh->force_create_mode, v, why);
}

static int set_force_dir(struct share *sh, const char *v, const char **why)
{
	return set_mode(&sh->force_dir_mode, v, why);
}

static int set_name(char **dst, const char *v, const char **why)
{
	*why = "a Unix user or group name";
	if (strlen(v) >= SMB_SERVER_NAME_MAX || str_has_ctrl(v))
		return -EINVAL;
	g_free(*dst);
	*dst = *v ? g_strdup(v) : NULL;
	return 0;
}

static int set_force_user(struct share *sh, const char *v, const char **why)
{
	return set_name(&sh->force_user, v, why);
}

static int set_force_group(struct share *sh, const char *v, const char **why)
{
	return set_name(&sh->force_group, v, why);
}

static int set_available(struct share *sh, const char *v, const char **why)
{
	*why = "yes or no";
	return conf_parse_bool(v, &sh->available) ? -EINVAL : 0;
}

/* Per share, only "required" matters: the share demands encryption. */
static int set_encrypt(struct share *sh, const char *v, const char **why)
{
	uint8_t level;

	*why = "off, desired or required";
	if (parse_encryption(v, &level))
		return -EINVAL;
	if (level == SMB_SERVER_ENCRYPTION_REQUIRED)
		sh->flags |= SMB_SERVER_SHARE_ENCRYPT;
	else
		sh->flags &= ~SMB_SERVER_SHARE_ENCRYPT;
	return 0;
}

#define FN_KEY(n, fn)		{ .norm = (n), .apply = (fn) }
#define FLAG_KEY(n, f, inv)	{ .norm = (n), .flag = (f), .invert = (inv) }

static const struct share_key share_keys[] = {
	FN_KEY("path", set_path),
	FN_KEY("comment", set_comment),
	FLAG_KEY("readonly", SMB_SERVER_SHARE_READ_ONLY, false),
	FLAG_KEY("writeable", SMB_SERVER_SHARE_READ_ONLY, true),
	FLAG_KEY("writable", SMB_SERVER_SHARE_READ_ONLY, true),
	FLAG_KEY("writeok", SMB_SERVER_SHARE_READ_ONLY, true),
	FLAG_KEY("browseable", SMB_SERVER_SHARE_BROWSEABLE, false),
	FLAG_KEY("browsable", SMB_SERVER_SHARE_BROWSEABLE, false),
	FLAG_KEY("guestok", SMB_SERVER_SHARE_GUEST_OK, false),
	FLAG_KEY("public", SMB_SERVER_SHARE_GUEST_OK, false),
	FLAG_KEY("storedosattributes", SMB_SERVER_SHARE_STORE_DOS_ATTRS, false),
	FLAG_KEY("oplocks", SMB_SERVER_SHARE_OPLOCKS, false),
	FLAG_KEY("hidedotfiles", SMB_SERVER_SHARE_HIDE_DOT_FILES, false),
	FLAG_KEY("streams", SMB_SERVER_SHARE_STREAMS, false),
	FLAG_KEY("acl", SMB_SERVER_SHARE_ACLS, false),
	FN_KEY("smbencrypt", set_encrypt),
	FN_KEY("available", set_available),
	FN_KEY("validusers", set_valid_users),
	FN_KEY("invalidusers", set_invalid_users),
	FN_KEY("readlist", set_read_list),
	FN_KEY("writelist", set_write_list),
	FN_KEY("hostsallow", set_hosts_allow),
	FN_KEY("allowhosts", set_hosts_allow),
	FN_KEY("hostsdeny", set_hosts_deny),
	FN_KEY("denyhosts", set_hosts_deny),
	FN_KEY("createmask", set_create_mask),
	FN_KEY("createmode", set_create_mask),
	FN_KEY("directorymask", set_dir_mask),
	FN_KEY("directorymode", set_dir_mask),
	FN_KEY("forcecreatemode", set_force_create),
	FN_KEY("forcedirectorymode", set_force_dir),
	FN_KEY("forceuser", set_force_user),
	FN_KEY("forcegroup", set_force_group),
};

static const struct share_key *find_share_key(const char *norm)
{
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(share_keys); i++)
		if (!strcmp(share_keys[i].norm, norm))
			return &share_keys[i];
	return NULL;
}

bool share_key_known(const char *norm_key)
{
	return find_share_key(norm_key) != NULL;
}

static int share_apply(struct share *sh, const struct share_key *key,
		       const char *v, const char **why)
{
	bool on;

	if (key->apply)
		return key->apply(sh, v, why);
	*why = "yes or no";
	if (conf_parse_bool(v, &on))
		return -EINVAL;
	if (on != key->invert)
		sh->flags |= key->flag;
	else
		sh->flags &= ~key->flag;
	return 0;
}

bool share_name_valid(const char *name, const char **why)
{
	if (!*name || !g_utf8_validate(name, -1, NULL) ||
	    g_utf8_strlen(name, -1) > SHARE_NAME_MAX_CHARS ||
	    strlen(name) >= SMB_SERVER_NAME_MAX) {
		*why = "share names are 1 to 80 characters of valid UTF-8";
		return false;
	}
	if (str_has_ctrl(name) || strpbrk(name, "\"/\\[]:|<>+=;,*?")) {
		*why = "share names cannot contain control characters or any of \"/\\[]:|<>+=;,*?";
		return false;
	}
	if (conf_is_global(name)) {
		*why = "\"global\" is reserved for the server settings";
		return false;
	}
	return true;
}

static struct share *share_new(const char *name)
{
	struct share *sh = g_new0(struct share, 1);

	sh->name = g_strdup(name);
	sh->available = true;
	sh->flags = SMB_SERVER_SHARE_READ_ONLY | SMB_SERVER_SHARE_BROWSEABLE |
		    SMB_SERVER_SHARE_STORE_DOS_ATTRS |
		    SMB_SERVER_SHARE_OPLOCKS |
		    SMB_SERVER_SHARE_HIDE_DOT_FILES |
		    SMB_SERVER_SHARE_STREAMS;
	sh->create_mask = 0744;
	sh->dir_mask = 0755;
	return sh;
}

static void share_free(gpointer p)
{
	struct share *sh = p;

	g_free(sh->name);
	g_free(sh->path);
	g_free(sh->comment);
	g_free(sh->force_user);
	g_free(sh->force_group);
	g_strfreev(sh->valid_users);
	g_strfreev(sh->invalid_users);
	g_strfreev(sh->read_list);
	g_strfreev(sh->write_list);
	g_strfreev(sh->hosts_allow);
	g_strfreev(sh->hosts_deny);
	g_free(sh);
}

void shares_free(struct share_table *tbl)
{
	if (!tbl)
		return;
	g_hash_table_unref(tbl->by_key);
	g_ptr_array_unref(tbl->list);
	g_free(tbl);
}

struct share *shares_find(const struct share_table *tbl, const char *name)
{
	char *key = name_key(name);
	struct share *sh = g_hash_table_lookup(tbl->by_key, key);

	g_free(key);
	return sh;
}

static void warn_hosts(const struct conf_file *conf,
		       const struct conf_param *prm, char *const *list)
{
	for (; list && *list; list++)
		if (!host_pattern_valid(*list))
			pr_warn("%s:%u: '%s' in '%s' is not a numeric address, network or ALL; it never matches",
				conf->path, prm->line, *list, prm->key);
}

/*
 * Apply the parameters of @sec to @sh. With @defaults, @sec is [global]:
 * global options are skipped silently. Otherwise they are warned about.
 */
static int apply_section(struct share *sh, const struct conf_file *conf,
			 const struct conf_section *sec, bool defaults,
			 bool ipc, GError **error)
{
	const struct share_key *key;
	struct conf_param *prm;
	const char *why = "";
	unsigned int i;

	for (i = 0; i < sec->params->len; i++) {
		prm = sec->params->pdata[i];
		key = find_share_key(prm->norm);
		/* In [global], check_global_keys() warned already. */
		if (defaults && !key)
			continue;
		if (!key && globals_key_known(prm->norm)) {
			pr_warn("%s:%u: '%s' is a [global] option, ignored in [%s]",
				conf->path, prm->line, prm->key, sec->name);
			continue;
		}
		if (!key) {
			pr_warn("%s:%u: unknown option '%s' ignored",
				conf->path, prm->line, prm->key);
			continue;
		}
		/* IPC$ ignores a global "guest ok": share listing must work. */
		if (ipc && defaults && key->flag == SMB_SERVER_SHARE_GUEST_OK)
			continue;
		if (ipc && !strcmp(key->norm, "path")) {
			pr_warn("%s:%u: IPC$ has no path, '%s' ignored",
				conf->path, prm->line, prm->key);
			continue;
		}
		if (share_apply(sh, key, prm->value, &why)) {
			g_set_error(error, KSMBD_ERROR, KSMBD_ERR_VALUE,
				    "%s:%u: invalid value '%s' for '%s': expected %s",
				    conf->path, prm->line, prm->value,
				    prm->key, why);
			return -EINVAL;
		}
		if (key->apply == set_hosts_allow ||
		    key->apply == set_hosts_deny)
			warn_hosts(conf, prm, key->apply == set_hosts_allow ?
					      sh->hosts_allow :
					      sh->hosts_deny);
	}
	return 0;
}

static void check_share(const struct conf_file *conf,
			const struct conf_section *sec, struct share *sh)
{
	struct stat st;

	if (sh->path && (stat(sh->path, &st) || !S_ISDIR(st.st_mode)))
		pr_warn("%s:%u: [%s]: %s is not an existing directory",
			conf->path, sec->line, sh->name, sh->path);
	if (sh->force_user && !getpwnam(sh->force_user))
		pr_warn("%s:%u: [%s]: force user '%s' does not exist",
			conf->path, sec->line, sh->name, sh->force_user);
	if (sh->force_group && !getgrnam(sh->force_group))
		pr_warn("%s:%u: [%s]: force group '%s' does not exist",
			conf->path, sec->line, sh->name, sh->force_group);
}

static struct share *load_share(const struct conf_file *conf,
				const struct conf_section *global,
				const struct conf_section *sec,
				const char *name, GError **error)
{
	bool ipc = name_equal(name, IPC_SHARE_NAME);
	struct share *sh = share_new(ipc ? IPC_SHARE_NAME : name);

	if (ipc)
		sh->flags = SMB_SERVER_SHARE_GUEST_OK;
	if (global && apply_section(sh, conf, global, true, ipc, error))
		goto fail;
	if (sec && apply_section(sh, conf, sec, false, ipc, error))
		goto fail;

	if (ipc) {
		g_clear_pointer(&sh->path, g_free);
		sh->flags &= SMB_SERVER_SHARE_GUEST_OK |
			     SMB_SERVER_SHARE_ENCRYPT;
		sh->flags |= SMB_SERVER_SHARE_PIPE;
		if (!sh->comment)
			sh->comment = g_strdup("IPC Service");
		return sh;
	}
	if (!sh->path) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_VALUE,
			    "%s:%u: share [%s] has no path", conf->path,
			    sec->line, name);
		goto fail;
	}
	if (!sh->comment)
		sh->comment = g_strdup("");
	check_share(conf, sec, sh);
	return sh;

fail:
	share_free(sh);
	return NULL;
}

static bool section_skipped(const struct conf_file *conf,
			    const struct conf_section *sec, GError **error)
{
	const char *why;

	if (conf_is_global(sec->name))
		return true;
	if (!g_ascii_strcasecmp(sec->name, "homes") ||
	    !g_ascii_strcasecmp(sec->name, "printers") ||
	    !g_ascii_strcasecmp(sec->name, "print$")) {
		pr_warn("%s:%u: [%s] is not supported, section ignored",
			conf->path, sec->line, sec->name);
		return true;
	}
	if (!share_name_valid(sec->name, &why)) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_VALUE,
			    "%s:%u: invalid share name [%s]: %s", conf->path,
			    sec->line, sec->name, why);
		return true;
	}
	return false;
}

static void table_add(struct share_table *tbl, struct share *sh)
{
	g_ptr_array_add(tbl->list, sh);
	g_hash_table_insert(tbl->by_key, name_key(sh->name), sh);
}

/* Warn about unknown options in [global]; globals_load() uses the rest. */
static void check_global_keys(const struct conf_file *conf,
			      const struct conf_section *global)
{
	struct conf_param *prm;
	unsigned int i;

	for (i = 0; i < global->params->len; i++) {
		prm = global->params->pdata[i];
		if (!globals_key_known(prm->norm) &&
		    !share_key_known(prm->norm))
			pr_warn("%s:%u: unknown option '%s' ignored",
				conf->path, prm->line, prm->key);
	}
}

struct share_table *shares_load(const struct conf_file *conf,
				GError **error)
{
	struct share_table *tbl = g_new0(struct share_table, 1);
	const struct conf_section *global = NULL, *sec, *ipc_sec = NULL;
	struct share *sh;
	GError *err = NULL;
	unsigned int i;

	tbl->list = g_ptr_array_new_with_free_func(share_free);
	tbl->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					    NULL);
	if (conf) {
		global = conf_find_section(conf, "global");
		ipc_sec = conf_find_section(conf, IPC_SHARE_NAME);
	}
	if (global)
		check_global_keys(conf, global);

	/* Shares named in the file, then the implicit IPC$. */
	for (i = 0; conf && i < conf->sections->len; i++) {
		sec = conf->sections->pdata[i];
		if (sec == ipc_sec)
			continue;
		if (section_skipped(conf, sec, &err)) {
			if (err)
				goto check;
			continue;
		}
		sh = load_share(conf, global, sec, sec->name, &err);
		if (!sh)
			goto check;
		table_add(tbl, sh);
	}
	sh = load_share(conf, global, ipc_sec, IPC_SHARE_NAME, &err);
	if (sh)
		table_add(tbl, sh);
check:
	if (err) {
		g_propagate_error(error, err);
		shares_free(tbl);
		return NULL;
	}
	return tbl;
}

static bool in_group(const char *group, const struct user_ident *who)
{
	struct group *gr = getgrnam(group);
	int i;

	if (!gr)
		return false;
	if (gr->gr_gid == who->gid)
		return true;
	for (i = 0; i < who->ngroups; i++)
		if (who->groups[i] == gr->gr_gid)
			return true;
	return false;
}

/* Entries are user names, or groups written @group, +group or &group. */
bool share_user_in_list(char *const *list, const struct user_ident *who)
{
	for (; list && *list; list++) {
		if (**list == '@' || **list == '+' || **list == '&') {
			if (in_group(*list + 1, who))
				return true;
		} else if (name_equal(*list, who->name)) {
			return true;
		}
	}
	return false;
}

/*
 * Decide whether @who may connect to @sh and whether it is read-only for
 * them. Returns 0, or -EACCES with the reason in *why. Host checks are
 * separate (hosts.c).
 */
int share_check_access(const struct share *sh, const struct user_ident *who,
		       bool guest, bool *read_only, const char **why)
{
	if (guest && !(sh->flags & SMB_SERVER_SHARE_GUEST_OK)) {
		*why = "guest access is not allowed (guest ok = no)";
		return -EACCES;
	}
	if (share_user_in_list(sh->invalid_users, who)) {
		*why = "listed in invalid users";
		return -EACCES;
	}
	if (sh->valid_users && *sh->valid_users &&
	    !share_user_in_list(sh->valid_users, who)) {
		*why = "not listed in valid users";
		return -EACCES;
	}

	*read_only = sh->flags & SMB_SERVER_SHARE_READ_ONLY;
	if (share_user_in_list(sh->read_list, who))
		*read_only = true;
	if (share_user_in_list(sh->write_list, who))
		*read_only = false;
	return 0;
}
