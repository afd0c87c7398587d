// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * smb.conf-style configuration parser.
 *
 * The syntax: "[section]" headers, "key = value" parameters, comments
 * starting with '#' or ';' (a whole line, or the rest of a line from a '#'
 * or ';' that follows a blank), and a trailing backslash continuing a line.
 * Keys compare without regard to case, blanks and underscores. A parameter
 * "include = FILE" reads FILE in its place, as if its text were there.
 * Parsing happens in two steps: conf_lex() turns text into logical lines
 * (which ksmbd.addshare also uses to edit a file in place) and
 * conf_parse_text() groups them into sections.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "util.h"

static void conf_line_free(gpointer p)
{
	struct conf_line *l = p;

	g_free(l->name);
	g_free(l->value);
	g_free(l);
}

static void conf_param_free(gpointer p)
{
	struct conf_param *prm = p;

	g_free(prm->key);
	g_free(prm->norm);
	g_free(prm->value);
	g_free(prm);
}

static void conf_section_free(gpointer p)
{
	struct conf_section *sec = p;

	g_free(sec->name);
	g_ptr_array_unref(sec->params);
	g_free(sec);
}

void conf_free(struct conf_file *conf)
{
	if (!conf)
		return;
	g_free(conf->path);
	g_ptr_array_unref(conf->sections);
	g_ptr_array_unref(conf->files);
	g_free(conf);
}

/**
 * conf_error_add - record one more error about a configuration
 * @error: where errors collect; the first one sets it, later ones are
 *	appended to its message on lines of their own
 * @code: the KSMBD_ERR_* code (of the first error)
 * @fmt: the message, printf-style
 *
 * Lets a load report every mistake of a file at once.
 */
void conf_error_add(GError **error, int code, const char *fmt, ...)
{
	va_list ap;
	char *msg, *joined;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (!error) {
		g_free(msg);
		return;
	}
	if (!*error) {
		g_set_error_literal(error, KSMBD_ERROR, code, msg);
	} else {
		joined = g_strconcat((*error)->message, "\n", msg, NULL);
		g_free((*error)->message);
		(*error)->message = joined;
	}
	g_free(msg);
}

char *conf_key_norm(const char *key)
{
	GString *s = g_string_sized_new(strlen(key));

	for (; *key; key++) {
		if (*key == ' ' || *key == '\t' || *key == '_')
			continue;
		g_string_append_c(s, g_ascii_tolower(*key));
	}
	return g_string_free(s, FALSE);
}

bool conf_key_equal(const char *a, const char *b)
{
	char *na = conf_key_norm(a);
	char *nb = conf_key_norm(b);
	bool eq = !strcmp(na, nb);

	g_free(na);
	g_free(nb);
	return eq;
}

bool conf_is_global(const char *section_name)
{
	return !g_ascii_strcasecmp(section_name, "global");
}

static int lex_section(struct conf_line *l, char *text, const char *path,
		       GError **error)
{
	char *end = strchr(text, ']');
	char *rest;

	if (!end) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_PARSE,
			    "%s:%u: missing ']'", path, l->first);
		return -EINVAL;
	}
	*end = '\0';
	rest = str_trim(end + 1);
	if (*rest && *rest != '#' && *rest != ';')
		pr_warn("%s:%u: text after ']' ignored", path, l->first);

	l->name = g_strdup(str_trim(text + 1));
	if (!*l->name) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_PARSE,
			    "%s:%u: empty section name", path, l->first);
		return -EINVAL;
	}
	l->type = CONF_LINE_SECTION;
	return 0;
}

/*
 * Cut a trailing comment off a value: a '#' or ';' at its start or after a
 * blank begins one, so "path = /srv/a ; old" is "/srv/a" while "/srv/a;b"
 * and "Room#3" stay whole.
 */
static void strip_comment(char *v)
{
	char *p;

	for (p = v; *p; p++) {
		if ((*p == '#' || *p == ';') &&
		    (p == v || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	}
}

static int lex_param(struct conf_line *l, char *text, const char *path,
		     GError **error)
{
	char *eq = strchr(text, '=');

	if (!eq) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_PARSE,
			    "%s:%u: expected 'key = value' or '[section]'",
			    path, l->first);
		return -EINVAL;
	}
	*eq = '\0';
	strip_comment(eq + 1);
	l->name = g_strdup(str_trim(text));
	l->value = g_strdup(str_trim(eq + 1));
	if (!*l->name) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_PARSE,
			    "%s:%u: missing key before '='", path, l->first);
		return -EINVAL;
	}
	l->type = CONF_LINE_PARAM;
	return 0;
}

/*
 * Join physical lines ending in a backslash, starting at lines[*i].
 * Comment lines are never continued.
 */
static char *join_continued(char **lines, unsigned int n, unsigned int *i)
{
	GString *s = g_string_new(NULL);
	char *line, *t;
	size_t len;

	for (;;) {
		line = lines[*i];
		len = strlen(line);
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
			       line[len - 1] == '\r'))
			len--;
		t = line;
		if (s->len)
			while (*t == ' ' || *t == '\t')
				t++, len--;
		if (!len || t[len - 1] != '\\' || *i + 1 >= n) {
			if (len && t[len - 1] == '\\')
				len--;
			g_string_append_len(s, t, len);
			break;
		}
		g_string_append_len(s, t, len - 1);
		(*i)++;
	}
	return g_string_free(s, FALSE);
}

GPtrArray *conf_lex(const char *path, const char *text, GError **error)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(conf_line_free);
	char **lines = g_strsplit(text, "\n", -1);
	unsigned int n = g_strv_length(lines), i;
	struct conf_line *l;
	char *joined, *t;
	int ret = 0;

	/* A final newline leaves an empty last element: not a line. */
	if (n && !*lines[n - 1])
		n--;

	for (i = 0; i < n && !ret; i++) {
		l = g_new0(struct conf_line, 1);
		l->first = i + 1;
		g_ptr_array_add(out, l);

		t = str_trim(lines[i]);
		if (!*t) {
			l->type = CONF_LINE_BLANK;
			l->last = i + 1;
			continue;
		}
		if (*t == '#' || *t == ';') {
			l->type = CONF_LINE_COMMENT;
			l->last = i + 1;
			continue;
		}
		joined = join_continued(lines, n, &i);
		l->last = i + 1;
		t = str_trim(joined);
		if (*t == '[')
			ret = lex_section(l, t, path, error);
		else
			ret = lex_param(l, t, path, error);
		g_free(joined);
	}
	g_strfreev(lines);
	if (ret) {
		g_ptr_array_unref(out);
		return NULL;
	}
	return out;
}

static struct conf_section *section_new(const char *name, const char *file,
					unsigned int line)
{
	struct conf_section *sec = g_new0(struct conf_section, 1);

	sec->name = g_strdup(name);
	sec->file = file;
	sec->line = line;
	sec->params = g_ptr_array_new_with_free_func(conf_param_free);
	return sec;
}

static void section_add(struct conf_section *sec, const struct conf_line *l,
			const char *path)
{
	struct conf_param *prm = g_new0(struct conf_param, 1);
	struct conf_param *old;

	prm->key = g_strdup(l->name);
	prm->norm = conf_key_norm(l->name);
	prm->value = g_strdup(l->value);
	prm->file = path;
	prm->line = l->first;

	old = conf_find_param(sec, prm->key);
	if (old && old->file == path)
		pr_warn("%s:%u: '%s' already set at line %u, using the last value",
			path, prm->line, prm->key, old->line);
	else if (old)
		pr_warn("%s:%u: '%s' already set at %s:%u, using the last value",
			path, prm->line, prm->key, old->file, old->line);
	g_ptr_array_add(sec->params, prm);
}

/* Where parsing is: the section lines go to, the chain of includes. */
struct parse_state {
	struct conf_file *conf;
	struct conf_section *sec;
	GPtrArray *stack;	/* char *: real paths of the files being read */
};

static int parse_lines(struct parse_state *ps, const char *path,
		       const char *text, GError **error);

static char *read_conf_text(const char *path, GError **error)
{
	GError *err = NULL;
	gsize len;
	char *text;

	if (!g_file_get_contents(path, &text, &len, &err)) {
		g_set_error(error, KSMBD_ERROR,
			    err->code == G_FILE_ERROR_NOENT ? KSMBD_ERR_NOENT :
							      KSMBD_ERR_IO,
			    "%s", err->message);
		g_error_free(err);
		return NULL;
	}
	if (len > CONF_MAX_SIZE || strlen(text) != len) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_PARSE,
			    "%s: not a text file (too large or contains NUL bytes)",
			    path);
		g_free(text);
		return NULL;
	}
	return text;
}

/* Remember @path for the life of the parsed configuration. */
static const char *conf_intern(struct conf_file *conf, const char *path)
{
	g_ptr_array_add(conf->files, g_strdup(path));
	return conf->files->pdata[conf->files->len - 1];
}

/*
 * "include = FILE" at @path:@line: parse FILE in place. A relative FILE is
 * taken from the directory of the including file. Substitutions (%m and
 * the like) are not supported, loops and deep nesting are refused.
 */
static int parse_include(struct parse_state *ps, const char *path,
			 unsigned int line, const char *value, GError **error)
{
	char *dir, *file, *real, *text;
	const char *name;
	GError *err = NULL;
	unsigned int i;
	int ret;

	if (!*value || strchr(value, '%')) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_VALUE,
			    "%s:%u: include needs a file name without %% substitutions",
			    path, line);
		return -EINVAL;
	}
	if (ps->stack->len > CONF_MAX_INCLUDE_DEPTH) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_VALUE,
			    "%s:%u: includes nested more than %d deep",
			    path, line, CONF_MAX_INCLUDE_DEPTH);
		return -ELOOP;
	}
	if (g_path_is_absolute(value)) {
		file = g_strdup(value);
	} else {
		dir = g_path_get_dirname(path);
		file = g_build_filename(dir, value, NULL);
		g_free(dir);
	}
	real = realpath(file, NULL);
	for (i = 0; real && i < ps->stack->len; i++) {
		if (!strcmp(ps->stack->pdata[i], real)) {
			g_set_error(error, KSMBD_ERROR, KSMBD_ERR_VALUE,
				    "%s:%u: %s includes itself", path, line,
				    file);
			free(real);
			g_free(file);
			return -ELOOP;
		}
	}
	text = real ? read_conf_text(file, &err) : NULL;
	if (!text) {
		g_set_error(error, KSMBD_ERROR, KSMBD_ERR_VALUE,
			    "%s:%u: cannot include %s: %s", path, line, file,
			    err ? err->message : g_strerror(errno));
		g_clear_error(&err);
		free(real);
		g_free(file);
		return -EINVAL;
	}
	name = conf_intern(ps->conf, file);
	g_ptr_array_add(ps->stack, g_strdup(real));
	ret = parse_lines(ps, name, text, error);
	g_ptr_array_remove_index(ps->stack, ps->stack->len - 1);
	free(real);
	g_free(file);
	g_free(text);
	return ret;
}

static int parse_lines(struct parse_state *ps, const char *path,
		       const char *text, GError **error)
{
	struct conf_section *old;
	struct conf_line *l;
	GPtrArray *lines;
	unsigned int i;
	int ret = 0;

	lines = conf_lex(path, text, error);
	if (!lines)
		return -EINVAL;

	for (i = 0; i < lines->len && !ret; i++) {
		l = lines->pdata[i];
		if (l->type == CONF_LINE_SECTION) {
			old = conf_find_section(ps->conf, l->name);
			if (old) {
				g_set_error(error, KSMBD_ERROR, KSMBD_ERR_PARSE,
					    "%s:%u: duplicate section [%s] (first at %s%s%u)",
					    path, l->first, l->name,
					    old->file == path ? "line " :
								old->file,
					    old->file == path ? "" : ":",
					    old->line);
				ret = -EINVAL;
				break;
			}
			ps->sec = section_new(l->name, path, l->first);
			g_ptr_array_add(ps->conf->sections, ps->sec);
		} else if (l->type == CONF_LINE_PARAM) {
			if (conf_key_equal(l->name, "include")) {
				ret = parse_include(ps, path, l->first,
						    l->value, error);
				continue;
			}
			if (!ps->sec) {
				g_set_error(error, KSMBD_ERROR, KSMBD_ERR_PARSE,
					    "%s:%u: '%s' is outside of any section",
					    path, l->first, l->name);
				ret = -EINVAL;
				break;
			}
			section_add(ps->sec, l, path);
		}
	}
	g_ptr_array_unref(lines);
	return ret;
}

struct conf_file *conf_parse_text(const char *path, const char *text,
				  GError **error)
{
	struct conf_file *conf = g_new0(struct conf_file, 1);
	struct parse_state ps = { .conf = conf };
	char *real;
	int ret;

	conf->path = g_strdup(path);
	conf->sections = g_ptr_array_new_with_free_func(conf_section_free);
	conf->files = g_ptr_array_new_with_free_func(g_free);
	ps.stack = g_ptr_array_new_with_free_func(g_free);
	real = realpath(path, NULL);
	g_ptr_array_add(ps.stack, g_strdup(real ? real : path));
	free(real);

	ret = parse_lines(&ps, conf_intern(conf, path), text, error);
	g_ptr_array_unref(ps.stack);
	if (ret) {
		conf_free(conf);
		return NULL;
	}
	return conf;
}

struct conf_file *conf_parse_file(const char *path, GError **error)
{
	struct conf_file *conf;
	char *text = read_conf_text(path, error);

	if (!text)
		return NULL;
	conf = conf_parse_text(path, text, error);
	g_free(text);
	return conf;
}

struct conf_section *conf_find_section(const struct conf_file *conf,
				       const char *name)
{
	struct conf_section *sec;
	unsigned int i;

	for (i = 0; i < conf->sections->len; i++) {
		sec = conf->sections->pdata[i];
		if (name_equal(sec->name, name))
			return sec;
	}
	return NULL;
}

/* The last occurrence of @key wins, as in smb.conf. */
struct conf_param *conf_find_param(const struct conf_section *sec,
				   const char *key)
{
	char *norm = conf_key_norm(key);
	struct conf_param *prm, *found = NULL;
	unsigned int i;

	for (i = 0; i < sec->params->len; i++) {
		prm = sec->params->pdata[i];
		if (!strcmp(prm->norm, norm))
			found = prm;
	}
	g_free(norm);
	return found;
}

const char *conf_get(const struct conf_section *sec, const char *key)
{
	struct conf_param *prm = sec ? conf_find_param(sec, key) : NULL;

	return prm ? prm->value : NULL;
}

int conf_parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "1", "on" };
	static const char *const no[] = { "no", "false", "0", "off" };
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(yes); i++) {
		if (!g_ascii_strcasecmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!g_ascii_strcasecmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* Parse an unsigned decimal number; *end points after its digits. */
static int parse_u64(const char *v, guint64 *out, const char **end)
{
	guint64 n = 0;
	const char *p = v;

	if (!g_ascii_isdigit(*p))
		return -EINVAL;
	for (; g_ascii_isdigit(*p); p++) {
		if (n > (G_MAXUINT64 - 9) / 10)
			return -ERANGE;
		n = n * 10 + (*p - '0');
	}
	*out = n;
	*end = p;
	return 0;
}

int conf_parse_u32(const char *v, uint32_t *out)
{
	const char *end;
	guint64 n;
	int ret;

	ret = parse_u64(v, &n, &end);
	if (ret)
		return ret;
	if (*end)
		return -EINVAL;
	if (n > G_MAXUINT32)
		return -ERANGE;
	*out = n;
	return 0;
}

/* A byte count with an optional K or M suffix (powers of 1024). */
int conf_parse_size(const char *v, uint32_t *out)
{
	const char *end;
	guint64 n, mult = 1;
	int ret;

	ret = parse_u64(v, &n, &end);
	if (ret)
		return ret;
	while (*end == ' ')
		end++;
	if (*end == 'k' || *end == 'K') {
		mult = 1024;
		end++;
	} else if (*end == 'm' || *end == 'M') {
		mult = 1024 * 1024;
		end++;
	}
	if (mult > 1 && (*end == 'b' || *end == 'B'))
		end++;
	if (*end)
		return -EINVAL;
	if (n > G_MAXUINT32 / mult)
		return -ERANGE;
	*out = n * mult;
	return 0;
}

int conf_parse_mode(const char *v, uint16_t *out)
{
	unsigned int n = 0;
	const char *p = v;

	if (!*p)
		return -EINVAL;
	for (; *p; p++) {
		if (*p < '0' || *p > '7')
			return -EINVAL;
		n = n * 8 + (*p - '0');
		if (n > 07777)
			return -ERANGE;
	}
	*out = n;
	return 0;
}

/*
 * Split a list on commas and blanks. Double quotes group words containing
 * blanks ("Domain Users"). Returns a NULL-terminated vector.
 */
char **conf_parse_list(const char *v)
{
	GPtrArray *items = g_ptr_array_new();
	GString *cur = g_string_new(NULL);
	bool quoted = false, any = false;

	for (;; v++) {
		if (*v == '"') {
			quoted = !quoted;
			any = true;
			continue;
		}
		if (*v && (quoted || (*v != ',' && *v != ' ' && *v != '\t'))) {
			g_string_append_c(cur, *v);
			any = true;
			continue;
		}
		if (any && cur->len)
			g_ptr_array_add(items, g_strdup(cur->str));
		g_string_truncate(cur, 0);
		any = false;
		if (!*v)
			break;
	}
	g_string_free(cur, TRUE);
	g_ptr_array_add(items, NULL);
	return (char **)g_ptr_array_free(items, FALSE);
}
