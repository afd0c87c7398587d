// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksmbd.adduser: manage the password database of ksmbd.mountd.
 */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "shares.h"
#include "users.h"
#include "util.h"

enum action { ACT_NONE, ACT_ADD, ACT_UPDATE, ACT_DELETE, ACT_DISABLE,
	      ACT_ENABLE, ACT_SET };

static struct {
	enum action action;
	const char *user;
	const char *password;
	const char *pwddb;
	const char *config;
} opts = {
	.pwddb = KSMBD_DEFAULT_PWDDB,
	.config = KSMBD_DEFAULT_CONFIG,
};

static struct termios saved_tty;
static atomic_int tty_changed;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ksmbd.adduser [ACTION] [OPTION]... USER\n"
		"Manage the users of the kernel SMB server.\n\n"
		"Actions (USER may also follow the letter: -a USER):\n"
		"  -a, --add             add USER (alias: --add-user=USER)\n"
		"  -u, --update          set a new password for USER\n"
		"                        (alias: --update-user=USER)\n"
		"  -d, --delete          delete USER (alias: --del-user=USER)\n"
		"  -D, --disable         disable USER's account\n"
		"  -E, --enable          enable USER's account again\n"
		"  (none)                add USER, or set a new password if it exists\n"
		"Options:\n"
		"  -p, --password PWD    the password (default: ask, or read a line\n"
		"                        from standard input when it is not a tty)\n"
		"  -P, --pwddb FILE      password database (default %s)\n"
		"                        (aliases: -i, --import-users)\n"
		"  -C, --config FILE     configuration file (default %s)\n"
		"                        (alias: -c)\n"
		"  -v, --verbose         log debug messages\n"
		"  -V, --version         show the version\n"
		"  -h, --help            show this help\n"
		"A running ksmbd.mountd sees the change at the next logon.\n",
		KSMBD_DEFAULT_PWDDB, KSMBD_DEFAULT_CONFIG);
}

static void restore_tty(int sig)
{
	if (tty_changed)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

static char *read_line(FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);

	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

static char *prompt_hidden(const char *prompt)
{
	struct termios t;
	char *line;

	fputs(prompt, stderr);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &saved_tty) == 0) {
		t = saved_tty;
		t.c_lflag &= ~ECHO;
		t.c_lflag |= ECHONL;
		signal(SIGINT, restore_tty);
		signal(SIGTERM, restore_tty);
		tty_changed = 1;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
	}
	line = read_line(stdin);
	if (tty_changed) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
		tty_changed = 0;
	}
	return line;
}

static void free_secret(char *s)
{
	if (s) {
		memset(s, 0, strlen(s));
		free(s);
	}
}

static char *get_password(void)
{
	char *first, *second;

	if (opts.password)
		return strdup(opts.password);
	if (!isatty(STDIN_FILENO)) {
		first = read_line(stdin);
		if (!first)
			pr_err("no password on standard input");
		return first;
	}
	first = prompt_hidden("New SMB password: ");
	if (!first)
		return NULL;
	second = prompt_hidden("Retype new SMB password: ");
	if (!second || strcmp(first, second)) {
		pr_err("the passwords do not match");
		free_secret(first);
		free_secret(second);
		return NULL;
	}
	free_secret(second);
	return first;
}

/* Tell the admin about shares that still name a user being deleted. */
static void warn_references(const char *user)
{
	struct share_table *tbl;
	struct conf_file *conf;
	struct user_ident who = { .name = user, .gid = (gid_t)-1 };
	struct share *sh;
	GError *err = NULL;
	int level = log_get_level();
	unsigned int i;

	conf = conf_parse_file(opts.config, &err);
	if (!conf) {
		g_error_free(err);
		return;
	}
	/* Warnings about the file itself are ksmbd.mountd's business. */
	log_set_level(LOG_ERR);
	tbl = shares_load(conf, &err);
	log_set_level(level);
	conf_free(conf);
	if (!tbl) {
		g_error_free(err);
		return;
	}
	for (i = 0; i < tbl->list->len; i++) {
		sh = tbl->list->pdata[i];
		if (share_user_in_list(sh->valid_users, &who) ||
		    share_user_in_list(sh->write_list, &who) ||
		    share_user_in_list(sh->read_list, &who) ||
		    (sh->force_user && name_equal(sh->force_user, user)))
			pr_warn("share [%s] in %s still refers to '%s'",
				sh->name, opts.config, user);
	}
	shares_free(tbl);
}

/* @user may be NULL: then it is the operand (ksmbd-tools 3.5 style). */
static int set_action(enum action a, const char *user)
{
	if (opts.action != ACT_NONE) {
		pr_err("give only one of --add, --update, --delete, --disable and --enable");
		return -EINVAL;
	}
	opts.action = a;
	opts.user = user;
	return 0;
}

/* The user: given with the action letter, or as the one operand. */
static int take_user(int argc, char **argv)
{
	if (optind < argc && (opts.user || optind + 1 < argc)) {
		pr_err("unexpected argument '%s'",
		       argv[opts.user ? optind : optind + 1]);
		return -EINVAL;
	}
	if (optind < argc)
		opts.user = argv[optind];
	if (!opts.user) {
		usage(stderr);
		return -EINVAL;
	}
	if (opts.action == ACT_NONE)
		opts.action = ACT_SET;
	return 0;
}

static int parse_args(int argc, char **argv)
{
	/* Ours, ksmbd-tools 3.5's and 3.4's (--add-user=USER, -i, -c). */
	static const struct option longopts[] = {
		{ "add", optional_argument, NULL, 'a' },
		{ "add-user", required_argument, NULL, 'a' },
		{ "update", optional_argument, NULL, 'u' },
		{ "update-user", required_argument, NULL, 'u' },
		{ "delete", optional_argument, NULL, 'd' },
		{ "del-user", required_argument, NULL, 'd' },
		{ "disable", optional_argument, NULL, 'D' },
		{ "enable", optional_argument, NULL, 'E' },
		{ "password", required_argument, NULL, 'p' },
		{ "pwddb", required_argument, NULL, 'P' },
		{ "import-users", required_argument, NULL, 'P' },
		{ "config", required_argument, NULL, 'C' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, ret = 0;

	while (!ret && (c = getopt_long(argc, argv, "a::u::d::D::E::p:P:i:C:c:vVh",
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
		case 'D':
			ret = set_action(ACT_DISABLE, optarg);
			break;
		case 'E':
			ret = set_action(ACT_ENABLE, optarg);
			break;
		case 'p':
			opts.password = optarg;
			break;
		case 'P':
		case 'i':
			opts.pwddb = optarg;
			break;
		case 'C':
		case 'c':
			opts.config = optarg;
			break;
		case 'v':
			log_set_level(LOG_DEBUG);
			break;
		case 'V':
			printf("ksmbd.adduser (ksmbd tools) %s\n",
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
	ret = take_user(argc, argv);
	if (ret)
		return ret;
	if (opts.password && opts.action != ACT_ADD &&
	    opts.action != ACT_UPDATE && opts.action != ACT_SET) {
		pr_err("--password only goes with --add or --update");
		return -EINVAL;
	}
	return 0;
}

/* Fail before asking for a password that could not be used. */
static int check_before_prompt(struct user_db *db, GError **err)
{
	struct user *u = userdb_find(db, opts.user);

	if (opts.action == ACT_ADD && u) {
		g_set_error(err, KSMBD_ERROR, KSMBD_ERR_EXISTS,
			    "user '%s' already exists in %s", u->name,
			    db->path);
		return -EEXIST;
	}
	if (opts.action == ACT_UPDATE && !u) {
		g_set_error(err, KSMBD_ERROR, KSMBD_ERR_NOENT,
			    "user '%s' does not exist in %s", opts.user,
			    db->path);
		return -ENOENT;
	}
	return 0;
}

static int apply(struct user_db *db, GError **err)
{
	char *password;
	int ret;

	if (opts.action == ACT_SET)
		opts.action = userdb_find(db, opts.user) ? ACT_UPDATE :
							   ACT_ADD;
	switch (opts.action) {
	case ACT_ADD:
	case ACT_UPDATE:
		ret = check_before_prompt(db, err);
		if (ret)
			return ret;
		password = get_password();
		if (!password)
			return -EINVAL;
		if (!*password)
			pr_warn("the password is empty");
		if (opts.action == ACT_ADD)
			ret = userdb_add(db, opts.user, password, err);
		else
			ret = userdb_set_password(db, opts.user, password,
						  err);
		free_secret(password);
		return ret;
	case ACT_DELETE:
		return userdb_delete(db, opts.user, err);
	case ACT_DISABLE:
		return userdb_set_disabled(db, opts.user, true, err);
	case ACT_ENABLE:
		return userdb_set_disabled(db, opts.user, false, err);
	default:
		return -EINVAL;
	}
}

static const char *const done_verb[] = {
	[ACT_ADD] = "added to",
	[ACT_UPDATE] = "updated in",
	[ACT_DELETE] = "deleted from",
	[ACT_DISABLE] = "disabled in",
	[ACT_ENABLE] = "enabled in",
	[ACT_SET] = "set in",
};

int main(int argc, char **argv)
{
	struct user_db *db;
	GError *err = NULL;
	const char *why;
	int ret;

	log_init("ksmbd.adduser", false);
	if (parse_args(argc, argv))
		return EXIT_FAILURE;
	if (opts.action == ACT_ADD && !user_name_valid(opts.user, &why)) {
		pr_err("invalid user name '%s': %s", opts.user, why);
		return EXIT_FAILURE;
	}

	db = userdb_new(opts.pwddb);
	ret = userdb_load(db, &err);
	if (!ret)
		ret = apply(db, &err);
	if (!ret)
		ret = userdb_save(db, &err);
	if (ret) {
		pr_err("%s", err ? err->message : "failed");
		g_clear_error(&err);
		userdb_free(db);
		return EXIT_FAILURE;
	}
	userdb_free(db);

	printf("user '%s' %s %s\n", opts.user, done_verb[opts.action],
	       opts.pwddb);
	if (opts.action == ACT_ADD && !getpwnam(opts.user))
		pr_warn("there is no Unix account '%s': logins fail until one exists",
			opts.user);
	if (opts.action == ACT_DELETE)
		warn_references(opts.user);
	return EXIT_SUCCESS;
}
