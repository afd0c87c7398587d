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

#include "compat.h"
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

/* Only %U, %S, %H and %% may follow a '%' (see share_instance()). */
static bool substitutions_valid(const char *v)
{
	for (v = strchr(v, '%'); v; v = strchr(v + 2, '%'))
		if (!v[1] || !strchr("USH%", v[1]))
			return false;
	return true;
}

/* Empty unsets it: ksmbd-tools writes "path =" among the defaults. */
static int set_path(struct share *sh, const char *v, const char **why)
{
	*why = "an absolute path (substitutions: %U user, %S share, %H home)";
	if (!*v) {
		g_clear_pointer(&sh->path, g_free);
		return 0;
	}
	if ((*v != '/' && strncmp(v, "%H", 2)) ||
	    strlen(v) >= SMB_SERVER_PATH_MAX || str_has_ctrl(v) ||
	    !substitutions_valid(v))
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
			   [[maybe_unused]] const char **why)
{
	return set_list(&sh->valid_users, v);
}

static int set_invalid_users(struct share *sh, const char *v,
			     [[maybe_unused]] const char **why)
{
	return set_list(&sh->invalid_users, v);
}

static int set_read_list(struct share *sh, const char *v,
			 [[maybe_unused]] const char **why)
{
	return set_list(&sh->read_list, v);
}

static int set_write_list(struct share *sh, const char *v,
			  [[maybe_unused]] const char **why)
{
	return set_list(&sh->write_list, v);
}

static int set_hosts_allow(struct share *sh, const char *v,
			   [[maybe_unused]] const char **why)
{
	return set_list(&sh->hosts_allow, v);
}

static int set_hosts_deny(struct share *sh, const char *v,
			  [[maybe_unused]] const char **why)
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

/* "smb encrypt": required and desired become share flags, the rest none. */
static int set_smb_encrypt(struct share *sh, const char *v, const char **why)
{
	uint8_t e;

	*why = "off, if_required, desired or required";
	if (parse_encryption(v, &e))
		return -EINVAL;
	sh->flags &= ~(SMB_SERVER_SHARE_ENCRYPT |
		       SMB_SERVER_SHARE_ENCRYPT_DESIRED);
	if (e == SMB_SERVER_ENCRYPTION_REQUIRED)
		sh->flags |= SMB_SERVER_SHARE_ENCRYPT;
	else if (e == SMB_SERVER_ENCRYPTION_DESIRED)
		sh->flags |= SMB_SERVER_SHARE_ENCRYPT_DESIRED;
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
	FLAG_KEY("hidedotfiles", SMB_SERVER_SHARE_HIDE_DOT_FILES, false),
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
	FN_KEY("smbencrypt", set_smb_encrypt),
	FN_KEY("serversmbencrypt", set_smb_encrypt),
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
	return find_share_key(norm_key);
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
		    SMB_SERVER_SHARE_HIDE_DOT_FILES;
	sh->create_mask = 0744;
	sh->dir_mask = 0755;
	return sh;
}

void share_free(struct share *sh)
{
	if (!sh)
		return;
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

static void share_free_cb(gpointer p)
{
	share_free(p);
}

void shares_free(struct share_table *tbl)
{
	if (!tbl)
		return;
	g_hash_table_unref(tbl->by_key);
	g_ptr_array_unref(tbl->list);
	share_free(tbl->homes);
	g_free(tbl);
}

struct share *shares_find(const struct share_table *tbl, const char *name)
{
	char *key = name_key(name);
	struct share *sh = g_hash_table_lookup(tbl->by_key, key);

	g_free(key);
	return sh;
}

/*
 * Substitute, as smb.conf defines them, %U (the session's user name), %S
 * (the share name as the client asked for it), %H (the user's home
 * directory) and %% in @v. NULL if @v needs %H and there is no @home.
 */
static char *expand(const char *v, const struct share_subst *sub)
{
	GString *s;
	const char *p;

	if (!v || !strchr(v, '%'))
		return g_strdup(v);
	s = g_string_new(NULL);
	for (p = v; *p; p++) {
		if (*p != '%' || !p[1]) {
			g_string_append_c(s, *p);
			continue;
		}
		p++;
		if (*p == 'U') {
			g_string_append(s, sub->user);
		} else if (*p == 'S') {
			g_string_append(s, sub->service);
		} else if (*p == 'H' && sub->home) {
			g_string_append(s, sub->home);
		} else if (*p == '%') {
			g_string_append_c(s, '%');
		} else {
			g_string_free(s, TRUE);
			return NULL;
		}
	}
	return g_string_free(s, FALSE);
}

static char **expand_list(char *const *list, const struct share_subst *sub)
{
	GPtrArray *out;
	char *e;

	if (!list)
		return NULL;
	out = g_ptr_array_new();
	for (; *list; list++) {
		e = expand(*list, sub);
		if (e)
			g_ptr_array_add(out, e);
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

/**
 * share_instance - the share a tree connect gets, substitutions applied
 * @tbl: the shares
 * @name: the share name the client asked for
 * @sub: the user and home directory to substitute; @sub->service is set
 *	here
 *
 * A share of that name comes first. Otherwise, with a [homes] section, a
 * name equal to the user's (or "homes") gives the user's home share: a
 * copy of [homes] named after the user, with the home directory as path
 * when [homes] gives none. Guests get no home share.
 *
 * Return: a share to free with share_free(), or NULL when there is none
 * (or its path needs a home directory the user does not have).
 */
struct share *share_instance(const struct share_table *tbl, const char *name,
			     struct share_subst *sub)
{
	const struct share *tmpl = shares_find(tbl, name);
	struct share *sh;

	sub->service = name;
	if (!tmpl) {
		if (!tbl->homes || sub->guest ||
		    (!tbl->homes->path && !sub->home) ||
		    (!name_equal(name, sub->user) && !name_equal(name, "homes")))
			return NULL;
		tmpl = tbl->homes;
		sub->service = sub->user;
	}
	sh = g_new0(struct share, 1);
	*sh = *tmpl;
	sh->name = g_strdup(tmpl == tbl->homes ? sub->user : tmpl->name);
	if (tmpl == tbl->homes && !tmpl->path)
		sh->path = g_strdup(sub->home);
	else
		sh->path = expand(tmpl->path, sub);
	sh->comment = g_strdup(tmpl->comment);
	sh->force_user = expand(tmpl->force_user, sub);
	sh->force_group = expand(tmpl->force_group, sub);
	sh->valid_users = expand_list(tmpl->valid_users, sub);
	sh->invalid_users = expand_list(tmpl->invalid_users, sub);
	sh->read_list = expand_list(tmpl->read_list, sub);
	sh->write_list = expand_list(tmpl->write_list, sub);
	sh->hosts_allow = g_strdupv(tmpl->hosts_allow);
	sh->hosts_deny = g_strdupv(tmpl->hosts_deny);
	if (!(sh->flags & SMB_SERVER_SHARE_PIPE) &&
	    (!sh->path || *sh->path != '/')) {
		share_free(sh);
		return NULL;
	}
	return sh;
}

static void warn_hosts(const struct conf_param *prm, char *const *list)
{
	for (; list && *list; list++)
		if (!host_pattern_valid(*list))
			pr_warn("%s:%u: '%s' in '%s' is not a numeric address, network or ALL; it never matches",
				prm->file, prm->line, *list, prm->key);
}

/*
 * Judge an option no share key implements, in [global] (@global) or a
 * share. Returns 0 when it may stay, -EINVAL after recording the error.
 */
static int judge_other(const struct conf_section *sec,
		       const struct conf_param *prm, bool global,
		       GError **error)
{
	const char *why = "";

	switch (compat_check(prm->norm, prm->value, global, &why)) {
	case COMPAT_OK:
		return 0;
	case COMPAT_NO_EFFECT:
		pr_warn("%s:%u: '%s = %s' %s", prm->file, prm->line,
			prm->key, prm->value, why);
		return 0;
	case COMPAT_REFUSED:
		conf_error_add(error, KSMBD_ERR_VALUE, "%s:%u: '%s = %s': %s",
			       prm->file, prm->line, prm->key, prm->value,
			       why);
		return -EINVAL;
	case COMPAT_WRONG_SECTION:
		break;
	case COMPAT_UNKNOWN:
		if (global || !globals_key_known(prm->norm)) {
			conf_error_add(error, KSMBD_ERR_VALUE,
				       "%s:%u: unknown option '%s'",
				       prm->file, prm->line, prm->key);
			return -EINVAL;
		}
		break;
	}
	conf_error_add(error, KSMBD_ERR_VALUE,
		       "%s:%u: '%s' is a [global] option, it cannot be set in [%s]",
		       prm->file, prm->line, prm->key, sec->name);
	return -EINVAL;
}

/*
 * Apply the parameters of @sec to @sh. With @defaults, @sec is [global]:
 * its global options are skipped, the rest judged (once: not for IPC$).
 * Returns the number of errors recorded in @error.
 */
static unsigned int apply_section(struct share *sh,
				  const struct conf_section *sec,
				  bool defaults, bool ipc, GError **error)
{
	const struct share_key *key;
	struct conf_param *prm;
	const char *why = "";
	unsigned int i, bad = 0;

	for (i = 0; i < sec->params->len; i++) {
		prm = sec->params->pdata[i];
		key = find_share_key(prm->norm);
		if (!key) {
			if (defaults)
				continue;	/* judged by check_global_keys() */
			if (judge_other(sec, prm, false, error))
				bad++;
			continue;
		}
		/* IPC$ ignores a global "guest ok": share listing must work. */
		if (ipc && defaults && key->flag == SMB_SERVER_SHARE_GUEST_OK)
			continue;
		if (ipc && !strcmp(key->norm, "path")) {
			if (!defaults && *prm->value)
				pr_warn("%s:%u: IPC$ has no path, '%s' ignored",
					prm->file, prm->line, prm->key);
			continue;
		}
		if (share_apply(sh, key, prm->value, &why)) {
			/* Bad defaults are reported once, for [global]. */
			if (!defaults)
				conf_error_add(error, KSMBD_ERR_VALUE,
					       "%s:%u: invalid value '%s' for '%s': expected %s",
					       prm->file, prm->line,
					       prm->value, prm->key, why);
			bad++;
			continue;
		}
		if (!defaults && (key->apply == set_hosts_allow ||
				  key->apply == set_hosts_deny))
			warn_hosts(prm, key->apply == set_hosts_allow ?
					sh->hosts_allow : sh->hosts_deny);
	}
	return bad;
}

static void check_share(const struct conf_section *sec, struct share *sh)
{
	struct stat st;

	if (sh->path && *sh->path == '/' && !strchr(sh->path, '%') &&
	    (stat(sh->path, &st) || !S_ISDIR(st.st_mode)))
		pr_warn("%s:%u: [%s]: %s is not an existing directory",
			sec->file, sec->line, sh->name, sh->path);
	if (sh->force_user && !strchr(sh->force_user, '%') &&
	    !getpwnam(sh->force_user))
		pr_warn("%s:%u: [%s]: force user '%s' does not exist",
			sec->file, sec->line, sh->name, sh->force_user);
	if (sh->force_group && !strchr(sh->force_group, '%') &&
	    !getgrnam(sh->force_group))
		pr_warn("%s:%u: [%s]: force group '%s' does not exist",
			sec->file, sec->line, sh->name, sh->force_group);
}

static bool is_homes(const char *name)
{
	return !g_ascii_strcasecmp(name, "homes");
}

static struct share *load_share(const struct conf_section *global,
				const struct conf_section *sec,
				const char *name, GError **error)
{
	bool ipc = name_equal(name, IPC_SHARE_NAME);
	struct share *sh = share_new(ipc ? IPC_SHARE_NAME : name);
	unsigned int bad = 0, bad_defaults = 0;

	if (ipc)
		sh->flags = SMB_SERVER_SHARE_GUEST_OK;
	/* Bad defaults were reported; the share's own errors still are. */
	if (global)
		bad_defaults = apply_section(sh, global, true, ipc, error);
	if (sec)
		bad = apply_section(sh, sec, false, ipc, error);
	if (bad)
		goto fail;

	if (ipc && bad_defaults)
		goto fail;
	if (ipc) {
		g_clear_pointer(&sh->path, g_free);
		sh->flags &= SMB_SERVER_SHARE_GUEST_OK;
		sh->flags |= SMB_SERVER_SHARE_PIPE;
		if (!sh->comment || !*sh->comment) {
			g_free(sh->comment);
			sh->comment = g_strdup("IPC Service");
		}
		return sh;
	}
	/* [homes] defaults to each user's home directory. */
	if (!sh->path && !is_homes(name)) {
		conf_error_add(error, KSMBD_ERR_VALUE,
			       "%s:%u: share [%s] has no path", sec->file,
			       sec->line, name);
		goto fail;
	}
	if (bad_defaults)
		goto fail;
	if (!sh->comment)
		sh->comment = g_strdup("");
	check_share(sec, sh);
	return sh;

fail:
	share_free(sh);
	return NULL;
}

/* Returns -EINVAL for a section that is an error, 1 to skip, 0 to load. */
static int section_kind(const struct conf_section *sec, GError **error)
{
	const char *why;

	if (conf_is_global(sec->name))
		return 1;
	if (!g_ascii_strcasecmp(sec->name, "printers") ||
	    !g_ascii_strcasecmp(sec->name, "print$")) {
		conf_error_add(error, KSMBD_ERR_VALUE,
			       "%s:%u: [%s]: not supported by this server yet: printing",
			       sec->file, sec->line, sec->name);
		return -EINVAL;
	}
	if (!share_name_valid(sec->name, &why)) {
		conf_error_add(error, KSMBD_ERR_VALUE,
			       "%s:%u: invalid share name [%s]: %s", sec->file,
			       sec->line, sec->name, why);
		return -EINVAL;
	}
	return 0;
}

static void table_add(struct share_table *tbl, struct share *sh)
{
	g_ptr_array_add(tbl->list, sh);
	g_hash_table_insert(tbl->by_key, name_key(sh->name), sh);
}

/*
 * Check the share options of [global] once, on a scratch share, and judge
 * the options that are neither global nor share keys.
 */
static void check_global_keys(const struct conf_section *global,
			      GError **error)
{
	struct share *scratch = share_new("global");
	const struct share_key *key;
	struct conf_param *prm;
	const char *why = "";
	unsigned int i;

	for (i = 0; i < global->params->len; i++) {
		prm = global->params->pdata[i];
		if (globals_key_known(prm->norm))
			continue;
		key = find_share_key(prm->norm);
		if (!key) {
			judge_other(global, prm, true, error);
			continue;
		}
		if (share_apply(scratch, key, prm->value, &why)) {
			conf_error_add(error, KSMBD_ERR_VALUE,
				       "%s:%u: invalid value '%s' for '%s': expected %s",
				       prm->file, prm->line, prm->value,
				       prm->key, why);
			continue;
		}
		if (key->apply == set_hosts_allow ||
		    key->apply == set_hosts_deny)
			warn_hosts(prm, key->apply == set_hosts_allow ?
					scratch->hosts_allow :
					scratch->hosts_deny);
	}
	share_free(scratch);
}

struct share_table *shares_load(const struct conf_file *conf,
				GError **error)
{
	struct share_table *tbl = g_new0(struct share_table, 1);
	const struct conf_section *global = NULL, *sec, *ipc_sec = NULL;
	struct share *sh;
	GError *err = NULL;
	unsigned int i;
	int kind;

	tbl->list = g_ptr_array_new_with_free_func(share_free_cb);
	tbl->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					    NULL);
	if (conf) {
		global = conf_find_section(conf, "global");
		ipc_sec = conf_find_section(conf, IPC_SHARE_NAME);
	}
	if (global)
		check_global_keys(global, &err);

	/* Shares named in the file, then the implicit IPC$. */
	for (i = 0; conf && i < conf->sections->len; i++) {
		sec = conf->sections->pdata[i];
		if (sec == ipc_sec)
			continue;
		kind = section_kind(sec, &err);
		if (kind)
			continue;
		sh = load_share(global, sec, sec->name, &err);
		if (!sh)
			continue;
		if (is_homes(sec->name))
			tbl->homes = sh;
		else
			table_add(tbl, sh);
	}
	sh = load_share(global, ipc_sec, IPC_SHARE_NAME, &err);
	if (sh)
		table_add(tbl, sh);
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
