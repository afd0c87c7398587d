// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * In-place configuration editing and the ksmbd.addshare command.
 */
#include <errno.h>
#include <sys/stat.h>

#include "../confedit.h"
#include "../util.h"
#include "tests.h"

static const char base[] =
	"# Server configuration\n"
	"[global]\n"
	"\tworkgroup = HOME\n"
	"\n"
	"; music for everyone\n"
	"[Music]\n"
	"    path = /srv/music\n"
	"    Read Only = yes\n"
	"    valid users = alice, \\\n"
	"                  bob\n"
	"    # trailing comment of Music\n"
	"\n"
	"# the photo share\n"
	"[photos]\n"
	"\tpath = /srv/photos\n";

static void load_base(struct conf_edit *e, const char *name)
{
	char *path = test_path(name);

	write_text(path, base);
	CHECK_INT(confedit_load(e, path, NULL), 0);
	g_free(path);
}

static struct conf_option opt(const char *arg)
{
	struct conf_option o;
	GError *err = NULL;

	if (confedit_parse_option(arg, &o, &err)) {
		fprintf(stderr, "  %s\n", err->message);
		g_error_free(err);
	}
	return o;
}

static void check_text(const struct conf_edit *e, const char *want)
{
	char *text = confedit_text(e);

	CHECK_STR(text, want);
	g_free(text);
}

static void test_add(void)
{
	struct conf_option o[2];
	struct conf_edit e;
	GError *err = NULL;

	load_base(&e, "add.conf");
	o[0] = opt("path = /srv/docs");
	o[1] = opt(" comment=Documents ");
	CHECK_INT(confedit_add_share(&e, "docs", o, 2, &err), 0);
	check_text(&e, "# Server configuration\n"
		       "[global]\n"
		       "\tworkgroup = HOME\n"
		       "\n"
		       "; music for everyone\n"
		       "[Music]\n"
		       "    path = /srv/music\n"
		       "    Read Only = yes\n"
		       "    valid users = alice, \\\n"
		       "                  bob\n"
		       "    # trailing comment of Music\n"
		       "\n"
		       "# the photo share\n"
		       "[photos]\n"
		       "\tpath = /srv/photos\n"
		       "\n"
		       "[docs]\n"
		       "\tpath = /srv/docs\n"
		       "\tcomment = Documents\n");
	CHECK_INT(confedit_validate(&e, &err), 0);

	CHECK_INT(confedit_add_share(&e, "MUSIC", o, 1, &err), -EEXIST);
	CHECK(err && strstr(err->message, "share [MUSIC] already exists"));
	g_clear_error(&err);
	CHECK_INT(confedit_add_share(&e, "a/b", o, 1, &err), -EINVAL);
	g_clear_error(&err);
	CHECK_INT(confedit_add_share(&e, "global", o, 1, &err), -EINVAL);
	g_clear_error(&err);

	/* Without a path the result does not validate. */
	CHECK_INT(confedit_add_share(&e, "nopath", &o[1], 1, &err), 0);
	CHECK_INT(confedit_validate(&e, &err), -EINVAL);
	CHECK(err && strstr(err->message, "share [nopath] has no path"));
	g_clear_error(&err);

	confedit_option_clear(&o[0]);
	confedit_option_clear(&o[1]);
	confedit_clear(&e);
}

static void test_update(void)
{
	struct conf_option o[3];
	struct conf_edit e;
	GError *err = NULL;

	load_base(&e, "update.conf");
	o[0] = opt("read only = no");
	o[1] = opt("valid users = carol");
	o[2] = opt("browseable = no");
	CHECK_INT(confedit_update_share(&e, "music", o, 3, &err), 0);
	check_text(&e, "# Server configuration\n"
		       "[global]\n"
		       "\tworkgroup = HOME\n"
		       "\n"
		       "; music for everyone\n"
		       "[Music]\n"
		       "    path = /srv/music\n"
		       "    Read Only = no\n"
		       "    valid users = carol\n"
		       "\tbrowseable = no\n"
		       "    # trailing comment of Music\n"
		       "\n"
		       "# the photo share\n"
		       "[photos]\n"
		       "\tpath = /srv/photos\n");
	CHECK_INT(confedit_validate(&e, &err), 0);

	CHECK_INT(confedit_update_share(&e, "nope", o, 1, &err), -ENOENT);
	CHECK(err && strstr(err->message, "share [nope] does not exist"));
	g_clear_error(&err);
	CHECK_INT(confedit_update_share(&e, "photos", o, 0, &err), -EINVAL);
	g_clear_error(&err);

	confedit_option_clear(&o[0]);
	confedit_option_clear(&o[1]);
	confedit_option_clear(&o[2]);
	confedit_clear(&e);
}

static void test_delete(void)
{
	struct conf_edit e;
	GError *err = NULL;

	load_base(&e, "delete.conf");
	CHECK_INT(confedit_delete_share(&e, "MUSIC", &err), 0);
	check_text(&e, "# Server configuration\n"
		       "[global]\n"
		       "\tworkgroup = HOME\n"
		       "\n"
		       "# the photo share\n"
		       "[photos]\n"
		       "\tpath = /srv/photos\n");
	CHECK_INT(confedit_delete_share(&e, "photos", &err), 0);
	check_text(&e, "# Server configuration\n"
		       "[global]\n"
		       "\tworkgroup = HOME\n");
	CHECK_INT(confedit_delete_share(&e, "photos", &err), -ENOENT);
	g_clear_error(&err);
	confedit_clear(&e);
}

static void option_fails(const char *arg, const char *message)
{
	struct conf_option o;
	GError *err = NULL;

	CHECK_INT(confedit_parse_option(arg, &o, &err), -EINVAL);
	CHECK(err);
	if (err) {
		CHECK_STR(err->message, message);
		g_error_free(err);
	}
}

static void test_options(void)
{
	option_fails("path /x", "option 'path /x' is not of the form 'key = value'");
	option_fails(" = x", "option ' = x': the key is empty or malformed");
	option_fails("[x] = y", "option '[x] = y': the key is empty or malformed");
	option_fails("path = /x\\", "option 'path = /x\\': values cannot end with a backslash");
	option_fails("comment = a\nb",
		     "option 'comment = a\nb': values cannot contain control characters");
	option_fails("colour = red", "option 'colour = red': unknown share option");
	option_fails("workgroup = X",
		     "option 'workgroup = X': it is a [global] option, not a share option");
}

static void test_file(void)
{
	char *path = test_path("sub/dir/new.conf");
	struct conf_option o = opt("path = /srv/new");
	struct conf_edit e;
	struct stat st;
	char *text;

	/* A missing file is created, directories too. */
	CHECK_INT(confedit_load(&e, path, NULL), 0);
	CHECK_INT(confedit_add_share(&e, "new", &o, 1, NULL), 0);
	CHECK_INT(confedit_save(&e, NULL), 0);
	confedit_clear(&e);
	text = read_text(path);
	CHECK_STR(text, "[new]\n\tpath = /srv/new\n");
	g_free(text);

	/* The file's mode survives a rewrite. */
	chmod(path, 0640);
	CHECK_INT(confedit_load(&e, path, NULL), 0);
	CHECK_INT(confedit_delete_share(&e, "new", NULL), 0);
	CHECK_INT(confedit_save(&e, NULL), 0);
	confedit_clear(&e);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640);
	text = read_text(path);
	CHECK_STR(text, "");
	g_free(text);
	confedit_option_clear(&o);
	g_free(path);
}

static void test_addshare_cli(void)
{
	char *conf = test_path("cli.conf");
	char *out, *err, *text;

	write_text(conf, "[global]\n# keep me\nworkgroup = W\n");
	CHECK_INT(run_tool(ARGV("./ksmbd.addshare", "-a", "pub", "-o",
				"'path = /tmp'", "-o", "'guest ok = yes'", "-C",
				conf), NULL, &out, &err), 0);
	CHECK(out && strstr(out, "share [pub] added to"));
	g_free(out);
	g_free(err);
	CHECK_INT(run_tool(ARGV("./ksmbd.addshare", "--update", "PUB",
				"--option", "'guest ok = no'", "--config",
				conf), NULL, NULL, NULL),
		  0);
	text = read_text(conf);
	CHECK_STR(text, "[global]\n# keep me\nworkgroup = W\n\n[pub]\n"
			"\tpath = /tmp\n\tguest ok = no\n");
	g_free(text);

	/* Refused edits leave the file alone. */
	CHECK_INT(run_tool(ARGV("./ksmbd.addshare", "-u", "pub", "-o",
				"'read only = perhaps'", "-C", conf),
			   NULL, NULL, &err), 1);
	CHECK(err && strstr(err, "invalid value 'perhaps' for 'read only'"));
	g_free(err);
	CHECK_INT(run_tool(ARGV("./ksmbd.addshare", "-a", "x", "-C", conf),
			   NULL, NULL, &err), 1);
	CHECK(err && strstr(err, "share [x] has no path"));
	g_free(err);
	CHECK_INT(run_tool(ARGV("./ksmbd.addshare", "-d", "pub", "-o",
				"'path = /'", "-C", conf),
			   NULL, NULL, NULL), 1);
	text = read_text(conf);
	CHECK(text && strstr(text, "[pub]") && strstr(text, "guest ok = no"));
	g_free(text);

	CHECK_INT(run_tool(ARGV("./ksmbd.addshare", "-d", "pub", "-C", conf),
			   NULL, NULL, NULL), 0);
	text = read_text(conf);
	CHECK_STR(text, "[global]\n# keep me\nworkgroup = W\n");
	g_free(text);
	g_free(conf);
}

void test_confedit(void)
{
	test_add();
	test_update();
	test_delete();
	test_options();
	test_file();
	test_addshare_cli();
}
