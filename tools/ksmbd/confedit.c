// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-place editing of ksmbd.conf for ksmbd.addshare.
 *
 * The file is kept as physical lines. Each edit lexes the current text
 * (conf_lex) to find where sections and parameters are, then replaces,
 * inserts or removes whole physical lines, so comments, blank lines and
 * the other sections stay as they were.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "compat.h"
#include "confedit.h"
#include "config.h"
#include "globals.h"
#include "shares.h"
#include "util.h"

int confedit_load(struct conf_edit *e, const char *path, GError **error)
{
	GError *err = NULL;
	struct stat st;
	char **split;
	char *text;
	gsize len;
	unsigned int i, n;

	memset(e, 0, sizeof(*e));
	e->path = g_strdup(path);
	e->lines = g_ptr_array_new_with_free_func(g_free);
	e->mode = 0644;

	if (!g_file_get_contents(path, &text, &len, &err)) {
		if (err->code == G_FILE_ERROR_NOENT) {
			g_error_free(err);
			return 0;
		}
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_IO, "%s",
			    err->message);
		g_error_free(err);
		return -EIO;
	}
	if (strlen(text) != len || len > CONF_MAX_SIZE) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_PARSE,
			    "%s: not a text file", path);
		g_free(text);
		return -EINVAL;
	}
	if (!stat(path, &st))
		e->mode = st.st_mode & 07777;

	split = g_strsplit(text, "\n", -1);
	n = g_strv_length(split);
	if (n && !*split[n - 1])
		n--;
	for (i = 0; i < n; i++)
		g_ptr_array_add(e->lines, g_strdup(split[i]));
	g_strfreev(split);
	g_free(text);
	return 0;
}

void confedit_clear(struct conf_edit *e)
{
	g_free(e->path);
	if (e->lines)
		g_ptr_array_unref(e->lines);
	memset(e, 0, sizeof(*e));
}

char *confedit_text(const struct conf_edit *e)
{
	GString *s = g_string_new(NULL);
	unsigned int i;

	for (i = 0; i < e->lines->len; i++) {
		g_string_append(s, e->lines->pdata[i]);
		g_string_append_c(s, '\n');
	}
	return g_string_free(s, FALSE);
}

int confedit_save(struct conf_edit *e, GError **error)
{
	char *text = confedit_text(e);
	char *dir = g_path_get_dirname(e->path);
	int ret = 0;

	if (g_mkdir_with_parents(dir, 0755)) {
		ret = -errno;
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_IO,
			    "cannot create %s: %s", dir, g_strerror(errno));
	}
	if (!ret)
		ret = write_file_atomic(e->path, text, strlen(text), e->mode,
					error);
	g_free(dir);
	g_free(text);
	return ret;
}

static bool value_has_comment(const char *v)
{
	const char *p;

	for (p = v; *p; p++)
		if ((*p == '#' || *p == ';') &&
		    (p == v || p[-1] == ' ' || p[-1] == '\t'))
			return true;
	return false;
}

/*
 * "key = value" from the command line, checked so it stays one line and
 * reads back the same. Options the server does not implement pass here;
 * confedit_validate() judges their values with the whole file.
 */
int confedit_parse_option(const char *arg, struct conf_option *opt,
			  GError **error)
{
	const char *eq = strchr(arg, '=');
	char *key, *value, *norm;
	const char *why = NULL;
	bool global_only = false;

	memset(opt, 0, sizeof(*opt));
	if (!eq) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_VALUE,
			    "option '%s' is not of the form 'key = value'", arg);
		return -EINVAL;
	}
	key = g_strstrip(g_strndup(arg, eq - arg));
	value = g_strstrip(g_strdup(eq + 1));
	norm = conf_key_norm(key);

	if (!*key || str_has_ctrl(key) || strchr("[#;", *key))
		why = "the key is empty or malformed";
	else if (str_has_ctrl(value))
		why = "values cannot contain control characters";
	else if (g_str_has_suffix(value, "\\"))
		why = "values cannot end with a backslash";
	else if (value_has_comment(value))
		why = "a '#' or ';' after a blank would start a comment";
	else if (share_key_known(norm))
		why = NULL;
	else if (compat_key_known(norm, &global_only) ? global_only :
		 globals_key_known(norm))
		why = "it is a [global] option, not a share option";
	else if (!compat_key_known(norm, NULL))
		why = "unknown share option";
	g_free(norm);
	if (why) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_VALUE,
			    "option '%s': %s", arg, why);
		g_free(key);
		g_free(value);
		return -EINVAL;
	}
	opt->key = key;
	opt->value = value;
	return 0;
}

void confedit_option_clear(struct conf_option *opt)
{
	g_free(opt->key);
	g_free(opt->value);
	memset(opt, 0, sizeof(*opt));
}

static bool line_blank(const char *line)
{
	return line[strspn(line, " \t\r")] == '\0';
}

static enum conf_line_type line_type(GPtrArray *lines, unsigned int i)
{
	return ((struct conf_line *)lines->pdata[i])->type;
}

static GPtrArray *lex(const struct conf_edit *e, GError **error)
{
	char *text = confedit_text(e);
	GPtrArray *lines = conf_lex(e->path, text, error);

	g_free(text);
	return lines;
}

/*
 * Find section @name among the logical @lines: its header's index, and
 * the index of the next section header (or lines->len).
 */
static bool find_section(GPtrArray *lines, const char *name,
			 unsigned int *start, unsigned int *end)
{
	struct conf_line *l;
	unsigned int i;

	for (i = 0; i < lines->len; i++) {
		l = lines->pdata[i];
		if (l->type == CONF_LINE_SECTION && name_equal(l->name, name))
			break;
	}
	if (i == lines->len)
		return false;
	*start = i;
	for (i++; i < lines->len; i++) {
		l = lines->pdata[i];
		if (l->type == CONF_LINE_SECTION)
			break;
	}
	*end = i;
	return true;
}

static void replace_lines(struct conf_edit *e, unsigned int first,
			  unsigned int last, char *line)
{
	/* first and last are 1-based physical line numbers */
	g_ptr_array_remove_range(e->lines, first - 1, last - first + 1);
	g_ptr_array_insert(e->lines, first - 1, line);
}

static int set_option(struct conf_edit *e, const char *name,
		      const struct conf_option *opt, GError **error)
{
	struct conf_line *l, *last_param = NULL, *found = NULL;
	unsigned int start, end, i, at;
	GPtrArray *lines = lex(e, error);
	const char *text;
	size_t indent;

	if (!lines)
		return -EINVAL;
	if (!find_section(lines, name, &start, &end)) {
		g_ptr_array_unref(lines);
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_NOENT,
			    "share [%s] does not exist in %s", name, e->path);
		return -ENOENT;
	}
	for (i = start + 1; i < end; i++) {
		l = lines->pdata[i];
		if (l->type != CONF_LINE_PARAM)
			continue;
		last_param = l;
		if (conf_key_equal(l->name, opt->key))
			found = l;
	}
	if (found) {
		text = e->lines->pdata[found->first - 1];
		indent = strspn(text, " \t");
		replace_lines(e, found->first, found->last,
			      g_strdup_printf("%.*s%s = %s", (int)indent, text,
					      found->name, opt->value));
	} else {
		l = last_param ? last_param : lines->pdata[start];
		at = l->last;	/* insert after this physical line */
		g_ptr_array_insert(e->lines, at,
				   g_strdup_printf("\t%s = %s", opt->key,
						   opt->value));
	}
	g_ptr_array_unref(lines);
	return 0;
}

int confedit_update_share(struct conf_edit *e, const char *name,
			  const struct conf_option *opts, unsigned int n,
			  GError **error)
{
	unsigned int i;
	int ret;

	if (!n) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_VALUE,
			    "nothing to change: give options with -o");
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		ret = set_option(e, name, &opts[i], error);
		if (ret)
			return ret;
	}
	return 0;
}

int confedit_add_share(struct conf_edit *e, const char *name,
		       const struct conf_option *opts, unsigned int n,
		       GError **error)
{
	unsigned int start, end, i;
	GPtrArray *lines = lex(e, error);
	const char *why;
	bool exists;

	if (!lines)
		return -EINVAL;
	exists = find_section(lines, name, &start, &end);
	g_ptr_array_unref(lines);
	if (!share_name_valid(name, &why)) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_VALUE,
			    "invalid share name '%s': %s", name, why);
		return -EINVAL;
	}
	if (exists) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_EXISTS,
			    "share [%s] already exists in %s", name, e->path);
		return -EEXIST;
	}

	if (e->lines->len && !line_blank(e->lines->pdata[e->lines->len - 1]))
		g_ptr_array_add(e->lines, g_strdup(""));
	g_ptr_array_add(e->lines, g_strdup_printf("[%s]", name));
	for (i = 0; i < n; i++)
		g_ptr_array_add(e->lines, g_strdup_printf("\t%s = %s",
							  opts[i].key,
							  opts[i].value));
	return 0;
}

/*
 * Remove a section: its header up to the next header. Comments right
 * above a header (no blank line between) belong to that section: the
 * deleted section's go with it, the next section's stay.
 */
/* Whether the file has a section @name (false if it does not lex). */
bool confedit_has_share(const struct conf_edit *e, const char *name)
{
	unsigned int start, end;
	GPtrArray *lines = lex(e, NULL);
	bool found;

	if (!lines)
		return false;
	found = find_section(lines, name, &start, &end);
	g_ptr_array_unref(lines);
	return found;
}

int confedit_delete_share(struct conf_edit *e, const char *name,
			  GError **error)
{
	unsigned int start, end, first, last;
	GPtrArray *lines = lex(e, error);

	if (!lines)
		return -EINVAL;
	if (!find_section(lines, name, &start, &end)) {
		g_ptr_array_unref(lines);
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_NOENT,
			    "share [%s] does not exist in %s", name, e->path);
		return -ENOENT;
	}
	if (end < lines->len)
		while (end > start + 1 && line_type(lines, end - 1) ==
					  CONF_LINE_COMMENT)
			end--;
	while (start > 0 && line_type(lines, start - 1) == CONF_LINE_COMMENT)
		start--;
	first = ((struct conf_line *)lines->pdata[start])->first;
	last = ((struct conf_line *)lines->pdata[end - 1])->last;
	g_ptr_array_remove_range(e->lines, first - 1, last - first + 1);
	g_ptr_array_unref(lines);

	/* Deleting the last section leaves no blank lines at the end. */
	while (e->lines->len && e->lines->len == first - 1 &&
	       line_blank(e->lines->pdata[e->lines->len - 1])) {
		g_ptr_array_remove_index(e->lines, e->lines->len - 1);
		first--;
	}
	return 0;
}

/* Parse the edited text as ksmbd.mountd would; errors block saving. */
int confedit_validate(const struct conf_edit *e, GError **error)
{
	char *text = confedit_text(e);
	struct conf_file *conf = conf_parse_text(e->path, text, error);
	struct share_table *tbl;
	struct smb_globals g;
	int ret = -EINVAL;

	g_free(text);
	if (!conf)
		return -EINVAL;
	if (!globals_load(conf, &g, error)) {
		globals_clear(&g);
		tbl = shares_load(conf, error);
		if (tbl) {
			shares_free(tbl);
			ret = 0;
		}
	}
	conf_free(conf);
	return ret;
}
