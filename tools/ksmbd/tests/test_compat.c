// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Honest options: what the kernel does not do is refused with file:line,
 * values describing what it does anyway load; ksmbd-tools style files
 * (empty defaults, inline comments, include) load; [homes] and %U/%S.
 */
#include <errno.h>

#include <linux/smb_server.h>

#include "../config.h"
#include "../globals.h"
#include "../shares.h"
#include "tests.h"

static struct share_table *load(const char *text, GError **err)
{
	struct conf_file *conf = conf_parse_text("c.conf", text, err);
	struct share_table *tbl;

	if (!conf)
		return NULL;
	tbl = shares_load(conf, err);
	conf_free(conf);
	return tbl;
}

/* @line in [@section] must be refused with exactly @message. */
/* A test file: @line is line 2, in [@section] (which gets a path). */
static char *one_line(const char *section, const char *line)
{
	return g_strdup_printf("[%s]\n%s\n%s[s]\npath = /\n", section, line,
			       strcmp(section, "global") ? "path = /\n" : "");
}

static void refused(const char *section, const char *line,
		    const char *message)
{
	char *text = one_line(section, line);
	GError *err = NULL;
	struct share_table *tbl = load(text, &err);

	CHECK(!tbl);
	if (!err || strcmp(err->message, message))
		fprintf(stderr, "  for '%s': got \"%s\"\n", line,
			err ? err->message : "(loaded)");
	CHECK(err && !strcmp(err->message, message));
	g_clear_error(&err);
	shares_free(tbl);
	g_free(text);
}

static void accepted(const char *section, const char *line)
{
	char *text = one_line(section, line);
	GError *err = NULL;
	struct share_table *tbl = load(text, &err);

	if (!tbl)
		fprintf(stderr, "  for '%s': %s\n", line, err->message);
	CHECK(tbl);
	g_clear_error(&err);
	shares_free(tbl);
	g_free(text);
}

/* @line is taken, with a log message that contains @note. */
static void accepted_noted(const char *section, const char *line,
			   const char *note)
{
	accepted(section, line);
	if (!log_captured(note))
		fprintf(stderr, "  for '%s': no message '%s'\n", line, note);
	CHECK(log_captured(note));
}

#define NY "not supported by this server yet: "
#define ENC_VALUES "expected off, if_required, desired or required"

static void test_refused(void)
{
	refused("backup", "smb encrypt = always",
		"c.conf:2: invalid value 'always' for 'smb encrypt': "
		ENC_VALUES);
	refused("global", "bind interfaces only = yes",
		"c.conf:2: 'bind interfaces only = yes': " NY
		"the server listens on every address; limit it with a firewall");
	refused("global", "interfaces = eth0",
		"c.conf:2: 'interfaces = eth0': " NY
		"the server listens on every address; limit it with a firewall");
	refused("d", "veto files = /*.exe/",
		"c.conf:2: 'veto files = /*.exe/': " NY
		"hiding and refusing names on a share");
	refused("global", "server multi channel support = yes",
		"c.conf:2: 'server multi channel support = yes': " NY
		"multichannel (a session on a second connection)");
	refused("global", "smb2 leases = yes",
		"c.conf:2: 'smb2 leases = yes': " NY
		"leases (every open is granted none)");
	refused("global", "durable handles = yes",
		"c.conf:2: 'durable handles = yes': " NY
		"durable handles (an open ends with its connection)");
	refused("d", "streams = yes",
		"c.conf:2: 'streams = yes': " NY "alternate data streams");
	refused("d", "acl = yes",
		"c.conf:2: 'acl = yes': " NY
		"stored Windows ACLs; access follows the Unix permissions");
	refused("d", "vfs objects = acl_xattr",
		"c.conf:2: 'vfs objects = acl_xattr': " NY
		"VFS modules (acl_xattr, streams_xattr)");
	refused("global", "kerberos keytab file = /etc/krb5.keytab",
		"c.conf:2: 'kerberos keytab file = /etc/krb5.keytab': " NY
		"Kerberos; clients log on with NTLMv2");
	refused("global", "share:fake_fscaps = 128",
		"c.conf:2: 'share:fake_fscaps = 128': " NY
		"faking file system capabilities beyond the 0x4f every share reports");
	refused("global", "ipc timeout = 10",
		"c.conf:2: 'ipc timeout = 10': " NY
		"dropping sessions when ksmbd.mountd is slow; only 0 (wait) describes the server");
	refused("d", "inherit owner = yes",
		"c.conf:2: 'inherit owner = yes': " NY
		"owners inherited from the directory; new files belong to the user (or force user)");
	refused("global", "smbd max io size = 4MB",
		"c.conf:2: 'smbd max io size = 4MB': " NY
		"SMB Direct (RDMA); only ksmbd-tools' default 8MB is taken");
	refused("d", "oplocks = maybe",
		"c.conf:2: 'oplocks = maybe': expected yes or no");
	refused("d", "ipc timeout = 0",
		"c.conf:2: 'ipc timeout' is a [global] option, it cannot be set in [d]");
	refused("printers", "path = /var/spool",
		"c.conf:1: [printers]: " NY "printing");
}

static void test_matching(void)
{
	accepted("global", "server smb encrypt = off");
	accepted("global", "smb3 encryption = disabled");
	accepted("global", "smb3 encryption = no");
	accepted("d", "smb encrypt = no");
	accepted("global", "server smb encrypt = desired");
	accepted("global", "smb3 encryption = mandatory");
	accepted("global", "smb3 encryption = auto");
	accepted("d", "smb encrypt = required");
	accepted("d", "server smb encrypt = if_required");
	accepted("global", "bind interfaces only = no");
	accepted("global", "interfaces =");
	accepted("global", "restrict anonymous = 0");
	accepted("global", "server multi channel support = no");
	accepted("global", "smb2 leases = no");
	accepted("d", "durable handles = no");
	accepted("d", "oplocks = no");
	accepted("d", "store dos attributes = no");
	accepted("global", "share:fake_fscaps = 64");
	accepted("global", "ipc timeout = 0");
	accepted("d", "vfs objects =");
	accepted("d", "veto files =");
	accepted("d", "follow symlinks = yes");

	/* Accepted for ksmbd-tools files, but never without a word. */
	log_capture_start();
	accepted_noted("d", "oplocks = yes",
		       "c.conf:2: 'oplocks = yes' has no effect yet: oplocks are never granted, every open gets none");
	accepted_noted("global", "store dos attributes = yes",
		       "c.conf:2: 'store dos attributes = yes' has no effect yet");
	accepted_noted("global", "smbd max io size = 8MB",
		       "c.conf:2: 'smbd max io size = 8MB' has no effect: this server has no SMB Direct (RDMA) transport");
}

/* Every mistake of a file is reported at once, in file order. */
static void test_all_errors(void)
{
	GError *err = NULL;
	struct share_table *tbl;

	tbl = load("[global]\n"
		   "bind interfaces only = yes\n"
		   "create mask = 9\n"
		   "[a]\n"
		   "path = /\n"
		   "acl = yes\n"
		   "[b]\n"
		   "comment = no path\n", &err);
	CHECK(!tbl);
	CHECK(err);
	if (err)
		CHECK_STR(err->message,
			  "c.conf:2: 'bind interfaces only = yes': " NY
			  "the server listens on every address; limit it with a firewall\n"
			  "c.conf:3: invalid value '9' for 'create mask': expected an octal mode such as 0644\n"
			  "c.conf:6: 'acl = yes': " NY
			  "stored Windows ACLs; access follows the Unix permissions\n"
			  "c.conf:7: share [b] has no path");
	g_clear_error(&err);
}

/*
 * The way ksmbd-tools writes its configuration: every default spelled
 * out in [global], empty values for "not set" (path, lists, users).
 */
static void test_ksmbd_tools_style(void)
{
	struct share_table *tbl;
	struct smb_globals g;
	struct conf_file *conf;
	struct share *sh;
	GError *err = NULL;

	conf = conf_parse_text("c.conf",
			       "; written by hand in the style of ksmbd-tools\n"
			       "[global]\n"
			       "\tbind interfaces only = no\n"
			       "\tdeadtime = 0\n"
			       "\tinterfaces =\n"
			       "\tnetbios name = MY SERVER\n"
			       "\trestrict anonymous = 0\n"
			       "\tserver signing = disabled\n"
			       "\tsmb2 max read = 4MB\n"
			       "\tsmb2 max trans = 1MB\n"
			       "\tsmb3 encryption = no\n"
			       "\ttcp port = 445\n"
			       "\tbrowseable = yes\n"
			       "\tcomment =\n"
			       "\tforce group =\n"
			       "\tforce user =\n"
			       "\tinvalid users =\n"
			       "\tpath =\n"
			       "\tvalid users =\n"
			       "\twrite list =\n"
			       "\twriteable = no\n"
			       "[files]\n"
			       "\tpath = /tmp ; the scratch area\n"
			       "\tcomment = Room#3 files # not this\n"
			       "\tvalid users = alice ;bob\n", &err);
	CHECK(conf);
	if (!conf) {
		fprintf(stderr, "  %s\n", err->message);
		g_clear_error(&err);
		return;
	}
	CHECK_INT(globals_load(conf, &g, &err), 0);
	CHECK_STR(g.netbios_name, "MY SERVER");
	CHECK_INT(g.max_read, 4 << 20);
	tbl = shares_load(conf, &err);
	CHECK(tbl);
	if (!tbl)
		fprintf(stderr, "  %s\n", err->message);
	sh = tbl ? shares_find(tbl, "files") : NULL;
	CHECK(sh);
	if (sh) {
		/* A trailing comment is not part of the value. */
		CHECK_STR(sh->path, "/tmp");
		CHECK_STR(sh->comment, "Room#3 files");
		CHECK(sh->valid_users && g_strv_length(sh->valid_users) == 1);
		CHECK(!sh->force_user && !sh->force_group);
	}
	g_clear_error(&err);
	shares_free(tbl);
	globals_clear(&g);
	conf_free(conf);
}

static void test_include(void)
{
	char *main_conf = test_path("main.conf");
	char *inc = test_path("inc.conf");
	char *loop = test_path("loop.conf");
	struct conf_file *conf;
	struct conf_section *sec;
	struct conf_param *prm;
	GError *err = NULL;

	write_text(inc, "workgroup = INCLUDED\n[extra]\npath = /srv\n");
	write_text(main_conf, "[global]\nnetbios name = A\n"
			      "include = inc.conf\n"
			      "comment = after\n");
	conf = conf_parse_file(main_conf, &err);
	CHECK(conf);
	if (conf) {
		sec = conf_find_section(conf, "global");
		CHECK_STR(conf_get(sec, "workgroup"), "INCLUDED");
		sec = conf_find_section(conf, "extra");
		CHECK(sec);
		/* Lines after the include continue where it left off. */
		CHECK(sec && conf_get(sec, "comment") &&
		      !strcmp(conf_get(sec, "comment"), "after"));
		prm = sec ? conf_find_param(sec, "path") : NULL;
		CHECK(prm && !strcmp(prm->file, inc) && prm->line == 3);
		conf_free(conf);
	}
	g_clear_error(&err);

	write_text(loop, "[global]\ninclude = loop.conf\n");
	conf = conf_parse_file(loop, &err);
	CHECK(!conf);
	CHECK(err && strstr(err->message, "loop.conf:2: ") &&
	      strstr(err->message, "includes itself"));
	g_clear_error(&err);

	write_text(main_conf, "[global]\ninclude = missing.conf\n");
	conf = conf_parse_file(main_conf, &err);
	CHECK(!conf);
	CHECK(err && strstr(err->message, "main.conf:2: cannot include "));
	g_clear_error(&err);

	write_text(main_conf, "[global]\ninclude = /etc/samba/%m.conf\n");
	conf = conf_parse_file(main_conf, &err);
	CHECK(!conf);
	CHECK(err && strstr(err->message,
			    "main.conf:2: include needs a file name without % substitutions"));
	g_clear_error(&err);

	/* An error in an included file names that file. */
	write_text(inc, "[global]\nacl = yes\n[x]\npath = /\n");
	write_text(main_conf, "include = inc.conf\n");
	conf = conf_parse_file(main_conf, &err);
	CHECK(conf);
	if (conf) {
		struct share_table *tbl = shares_load(conf, &err);

		CHECK(!tbl);
		CHECK(err && g_str_has_prefix(err->message, inc) &&
		      strstr(err->message, ":2: 'acl = yes': " NY));
		shares_free(tbl);
		conf_free(conf);
	}
	g_clear_error(&err);
	g_free(main_conf);
	g_free(inc);
	g_free(loop);
}

static void test_homes(void)
{
	struct share_subst sub = { .user = "alice", .home = "/home/alice" };
	struct share_table *tbl;
	struct share *sh;
	GError *err = NULL;

	tbl = load("[homes]\n"
		   "comment = Home of %U\n"
		   "valid users = %S\n"
		   "writeable = yes\n"
		   "[profiles]\n"
		   "path = /srv/profiles/%U\n"
		   "[plain]\n"
		   "path = /srv/plain\n", &err);
	CHECK(tbl);
	if (!tbl) {
		fprintf(stderr, "  %s\n", err->message);
		g_clear_error(&err);
		return;
	}
	/* [homes] is a template, not a share of that name in the list. */
	CHECK(tbl->homes);
	CHECK(!shares_find(tbl, "homes"));

	sh = share_instance(tbl, "ALICE", &sub);
	CHECK(sh);
	if (sh) {
		CHECK_STR(sh->name, "alice");
		CHECK_STR(sh->path, "/home/alice");
		CHECK(sh->valid_users && sh->valid_users[0] &&
		      !strcmp(sh->valid_users[0], "alice"));
		CHECK(!(sh->flags & SMB_SERVER_SHARE_READ_ONLY));
	}
	share_free(sh);
	/* "homes" itself is the user's home too. */
	sh = share_instance(tbl, "homes", &sub);
	CHECK(sh && !strcmp(sh->path, "/home/alice"));
	share_free(sh);
	/* Somebody else's name is no share for alice. */
	CHECK(!share_instance(tbl, "bob", &sub));
	/* Guests have no home; a user without a home directory neither. */
	sub.guest = true;
	CHECK(!share_instance(tbl, "alice", &sub));
	sub.guest = false;
	sub.home = NULL;
	CHECK(!share_instance(tbl, "alice", &sub));
	sub.home = "/home/alice";

	sh = share_instance(tbl, "Profiles", &sub);
	CHECK(sh && !strcmp(sh->path, "/srv/profiles/alice"));
	share_free(sh);
	sh = share_instance(tbl, "plain", &sub);
	CHECK(sh && !strcmp(sh->path, "/srv/plain"));
	share_free(sh);
	shares_free(tbl);

	/* %S is the share name asked for; unknown substitutions refused. */
	tbl = load("[media]\npath = /srv/%S\n", &err);
	sh = tbl ? share_instance(tbl, "MEDIA", &sub) : NULL;
	CHECK(sh && !strcmp(sh->path, "/srv/MEDIA"));
	share_free(sh);
	shares_free(tbl);
	tbl = load("[m]\npath = /srv/%m\n", &err);
	CHECK(!tbl);
	CHECK_STR(err ? err->message : NULL,
		  "c.conf:2: invalid value '/srv/%m' for 'path': expected an absolute path (substitutions: %U user, %S share, %H home)");
	g_clear_error(&err);
}

void test_compat(void)
{
	test_refused();
	test_matching();
	test_all_errors();
	test_ksmbd_tools_style();
	test_include();
	test_homes();
}
