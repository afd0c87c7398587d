// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksmbd.addshare: add, change or remove shares in ksmbd.conf.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confedit.h"
#include "log.h"
#include "util.h"

enum action { ACT_NONE, ACT_ADD, ACT_UPDATE, ACT_DELETE };

static struct {
	enum action action;
	const char *share;
	const char *config;
	GPtrArray *options;	/* char * as given */
} opts = {
	.config = KSMBD_DEFAULT_CONFIG,
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ksmbd.addshare ACTION [OPTION]...\n"
		"Edit the shares of the kernel SMB server in its configuration file.\n\n"
		"Actions:\n"
		"  -a, --add SHARE          add SHARE (needs -o \"path = DIR\")\n"
		"  -u, --update SHARE       change options of SHARE\n"
		"  -d, --delete SHARE       remove SHARE\n"
		"Options:\n"
		"  -o, --option \"KEY = VALUE\" set a share option; repeatable\n"
		"  -C, --config FILE        configuration file (default %s)\n"
		"  -V, --version            show the version\n"
		"  -h, --help               show this help\n"
		"Run 'ksmbd.control --reload' to apply the change.\n",
		KSMBD_DEFAULT_CONFIG);
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
	static const struct option longopts[] = {
		{ "add", required_argument, NULL, 'a' },
		{ "update", required_argument, NULL, 'u' },
		{ "delete", required_argument, NULL, 'd' },
		{ "option", required_argument, NULL, 'o' },
		{ "config", required_argument, NULL, 'C' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, ret = 0;

	while (!ret && (c = getopt_long(argc, argv, "a:u:d:o:C:Vh", longopts,
					NULL)) != -1) {
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
			g_ptr_array_add(opts.options, optarg);
			break;
		case 'C':
			opts.config = optarg;
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
	if (optind < argc) {
		pr_err("unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	if (opts.action == ACT_NONE) {
		usage(stderr);
		return -EINVAL;
	}
	if (opts.action == ACT_DELETE && opts.options->len) {
		pr_err("--delete takes no options");
		return -EINVAL;
	}
	return 0;
}

static int edit(struct conf_edit *e, const struct conf_option *o,
		unsigned int n, GError **err)
{
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
};

int main(int argc, char **argv)
{
	struct conf_option *o;
	struct conf_edit e = { 0 };
	GError *err = NULL;
	unsigned int i, n = 0;
	int ret;

	log_init("ksmbd.addshare", false);
	opts.options = g_ptr_array_new();
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

	g_clear_error(&err);
	for (i = 0; i < n; i++)
		confedit_option_clear(&o[i]);
	g_free(o);
	confedit_clear(&e);
	g_ptr_array_unref(opts.options);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
