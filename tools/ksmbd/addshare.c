// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksmbd.addshare: add, change or remove shares in ksmbd.conf.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "confedit.h"
#include "globals.h"
#include "log.h"
#include "pidfile.h"
#include "shares.h"
#include "util.h"

enum action { ACT_NONE, ACT_ADD, ACT_UPDATE, ACT_DELETE, ACT_SET };

static struct {
	enum action action;
	const char *share;
	const char *config;
	const char *lockfile;
	GPtrArray *options;	/* char *: one "key = value" each */
	bool reload;
} opts = {
	.config = KSMBD_DEFAULT_CONFIG,
	.reload = true,
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ksmbd.addshare [ACTION] [OPTION]... SHARE\n"
		"Edit the shares of the kernel SMB server in its configuration file.\n\n"
		"Actions (SHARE may also follow the letter: -a SHARE):\n"
		"  -a, --add                add SHARE (needs -o \"path = DIR\")\n"
		"                           (alias: --add-share=SHARE)\n"
		"  -u, --update             change options of SHARE\n"
		"                           (alias: --update-share=SHARE)\n"
		"  -d, --delete             remove SHARE (alias: --del-share=SHARE)\n"
		"  (none)                   add SHARE, or update it if it exists\n"
		"Options:\n"
		"  -o, --option \"KEY = VALUE\" set a share option; repeatable; one\n"
		"                           argument may hold several, one a line\n"
		"                           or \"k1=v1 k2=v2\" (alias: --options)\n"
		"  -C, --config FILE        configuration file (default %s)\n"
		"                           (alias: -c)\n"
		"  -P, --pwddb FILE         accepted for ksmbd-tools, not used\n"
		"  -n, --no-reload          do not make ksmbd.mountd reload\n"
		"  -v, --verbose            log debug messages\n"
		"  -V, --version            show the version\n"
		"  -h, --help               show this help\n"
		"A running ksmbd.mountd is told to reload (SIGHUP) after a change.\n",
		KSMBD_DEFAULT_CONFIG);
}

static bool any_key_known(const char *key)
{
	char *norm = conf_key_norm(key);
	bool known = share_key_known(norm) || globals_key_known(norm) ||
		     compat_key_known(norm, NULL);

	g_free(norm);
	return known;
}

/*
 * Split one -o argument into "key = value" items: at newlines, and, for
 * ksmbd-tools' "path=/srv guest ok=yes", before the words of a known key
 * that precede an '='. An '=' without a known key before it stays in the
 * value ("comment = a=b").
 */
static void split_options(const char *arg, GPtrArray *out)
{
	char **lines = g_strsplit(arg, "\n", -1);
	const char *eq, *start, *cut, *w;
	unsigned int i;
	char *key;

	for (i = 0; lines[i]; i++) {
		start = lines[i];
		while (*start == ' ' || *start == '\t')
			start++;
		if (!*start)
			continue;
		eq = strchr(start, '=');
		while (eq && (eq = strchr(eq + 1, '='))) {
			/* The longest run of words before @eq naming a key. */
			cut = NULL;
			for (w = strchr(start, '=') + 1; w < eq; w++) {
				if (w[-1] != ' ' && w[-1] != '\t')
					continue;
				if (*w == ' ' || *w == '\t')
					continue;
				key = g_strndup(w, eq - w);
				if (any_key_known(key))
					cut = w;
				g_free(key);
				if (cut)
					break;
			}
			if (!cut || cut <= strchr(start, '='))
				continue;
			g_ptr_array_add(out, g_strndup(start, cut - start));
			start = cut;
			eq = strchr(start, '=');
		}
		g_ptr_array_add(out, g_strdup(start));
	}
	g_strfreev(lines);
}

/* Tell a running ksmbd.mountd to reload; quiet when none runs. */
static void reload_mountd(void)
{
	pid_t pid = pidfile_running(opts.lockfile);

	if (pid <= 0) {
		if (pid < 0)
			pr_warn("cannot read %s: %s; run 'ksmbd.control --reload'",
				opts.lockfile, g_strerror(-pid));
		return;
	}
	if (kill(pid, SIGHUP))
		pr_warn("cannot signal ksmbd.mountd (pid %d): %s; run 'ksmbd.control --reload'",
			(int)pid, g_strerror(errno));
	else
		printf("ksmbd.mountd (pid %d) is reloading\n", (int)pid);
}

static int set_action(enum action a, const char *share)
{
	if (opts.action != ACT_NONE) {
		pr_err("give only one of --add, --update and --delete");
		return -EINVAL;
	}
	opts.action = a;
	opts.share = share;
	return 0;
}

static int parse_args(int argc, char **argv)
{
	/* Ours, ksmbd-tools 3.5's and 3.4's (--add-share=SHARE, -c). */
	static const struct option longopts[] = {
		{ "add", optional_argument, NULL, 'a' },
		{ "add-share", required_argument, NULL, 'a' },
		{ "update", optional_argument, NULL, 'u' },
		{ "update-share", required_argument, NULL, 'u' },
		{ "delete", optional_argument, NULL, 'd' },
		{ "del-share", required_argument, NULL, 'd' },
		{ "option", required_argument, NULL, 'o' },
		{ "options", required_argument, NULL, 'o' },
		{ "config", required_argument, NULL, 'C' },
		{ "pwddb", required_argument, NULL, 'P' },
		{ "no-reload", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, ret = 0;

	while (!ret && (c = getopt_long(argc, argv, "a::u::d::o:C:c:P:nvVh",
					longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			ret = set_action(ACT_ADD, optarg);
			break;
		case 'u':
			ret = set_action(ACT_UPDATE, optarg);
			break;
		case 'd':
			ret = set_action(ACT_DELETE, optarg);
			break;
		case 'o':
			split_options(optarg, opts.options);
			break;
		case 'C':
		case 'c':
			opts.config = optarg;
			break;
		case 'P':
			break;
		case 'n':
			opts.reload = false;
			break;
		case 'v':
			log_set_level(LOG_DEBUG);
			break;
		case 'V':
			printf("ksmbd.addshare (ksmbd tools) %s\n",
			       KSMBD_TOOLS_VERSION);
			exit(EXIT_SUCCESS);
		case 'h':
			usage(stdout);
			exit(EXIT_SUCCESS);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (ret)
		return ret;
	/* The share: with the action letter, or as the one operand. */
	if (optind < argc && (opts.share || optind + 1 < argc)) {
		pr_err("unexpected argument '%s'",
		       argv[opts.share ? optind : optind + 1]);
		return -EINVAL;
	}
	if (optind < argc)
		opts.share = argv[optind];
	if (!opts.share) {
		usage(stderr);
		return -EINVAL;
	}
	if (opts.action == ACT_NONE)
		opts.action = ACT_SET;
	if (opts.action == ACT_DELETE && opts.options->len) {
		pr_err("--delete takes no options");
		return -EINVAL;
	}
	return 0;
}

static int edit(struct conf_edit *e, const struct conf_option *o,
		unsigned int n, GError **err)
{
	if (opts.action == ACT_SET)
		opts.action = confedit_has_share(e, opts.share) ? ACT_UPDATE :
								 ACT_ADD;
	switch (opts.action) {
	case ACT_ADD:
		return confedit_add_share(e, opts.share, o, n, err);
	case ACT_UPDATE:
		return confedit_update_share(e, opts.share, o, n, err);
	case ACT_DELETE:
		return confedit_delete_share(e, opts.share, err);
	default:
		return -EINVAL;
	}
}

static const char *const done_verb[] = {
	[ACT_ADD] = "added to",
	[ACT_UPDATE] = "updated in",
	[ACT_DELETE] = "deleted from",
	[ACT_SET] = "set in",
};

int main(int argc, char **argv)
{
	struct conf_option *o;
	struct conf_edit e = { 0 };
	GError *err = NULL;
	unsigned int i, n = 0;
	int ret;

	log_init("ksmbd.addshare", false);
	opts.lockfile = ksmbd_lock_file();
	opts.options = g_ptr_array_new_with_free_func(g_free);
	if (parse_args(argc, argv))
		return EXIT_FAILURE;

	o = g_new0(struct conf_option, opts.options->len + 1);
	ret = 0;
	for (i = 0; !ret && i < opts.options->len; i++, n++)
		ret = confedit_parse_option(opts.options->pdata[i], &o[i],
					    &err);
	if (!ret)
		ret = confedit_load(&e, opts.config, &err);
	if (!ret)
		ret = edit(&e, o, n, &err);
	if (!ret)
		ret = confedit_validate(&e, &err);
	if (!ret)
		ret = confedit_save(&e, &err);
	if (ret)
		pr_err("%s", err ? err->message : "failed");
	else
		printf("share [%s] %s %s\n", opts.share,
		       done_verb[opts.action], opts.config);
	if (!ret && opts.reload)
		reload_mountd();

	g_clear_error(&err);
	for (i = 0; i < n; i++)
		confedit_option_clear(&o[i]);
	g_free(o);
	confedit_clear(&e);
	g_ptr_array_unref(opts.options);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
