// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command lines: "ksmbd.mountd --check", and the option letters and
 * long names of ksmbd-tools 3.4 and 3.5 next to ours.
 */
#include "tests.h"

static void test_check(void)
{
	char *conf = test_path("check.conf");
	char *again = test_path("again.conf");
	char *db = test_path("check.db");
	char *out, *err, *out2;

	write_text(db, "alice:A4F49C406510BDCAB6824EE7C30FD852\n");
	write_text(conf, "[global]\n"
			 "\tworkgroup = LAB ; the lab\n"
			 "\tsmb3 encryption = off\n"
			 "[data]\n"
			 "\tpath = /tmp # scratch\n"
			 "\tvalid users = alice\n");
	CHECK_INT(run_tool((const char *[]){ "./ksmbd.mountd", "--check",
					     "-C", conf, "-P", db, NULL },
			   NULL, &out, &err), 0);
	/* Every setting, defaults included, comments gone. */
	CHECK(out && strstr(out, ", 1 users in "));
	CHECK(out && strstr(out, "[global]\n"));
	CHECK(out && strstr(out, "\tworkgroup = LAB\n"));
	CHECK(out && strstr(out, "\tsmb2 max read = 8M\n"));
	CHECK(out && strstr(out, "\tserver signing = auto\n"));
	CHECK(out && strstr(out, "\n[data]\n\tpath = /tmp\n"));
	CHECK(out && strstr(out, "\tvalid users = alice\n"));
	CHECK(out && strstr(out, "\tcreate mask = 0744\n"));
	CHECK(out && strstr(out, "\n[IPC$]\n"));
	g_free(err);

	/* The output is a configuration that loads to the same settings. */
	write_text(again, out ? out : "");
	CHECK_INT(run_tool((const char *[]){ "./ksmbd.mountd", "-t", "-c",
					     again, "-u", db, NULL },
			   NULL, &out2, NULL), 0);
	/* Past the first line, which names the files. */
	CHECK(out && out2 && strchr(out, '\n') && strchr(out2, '\n') &&
	      !strcmp(strchr(out, '\n'), strchr(out2, '\n')));
	g_free(out);
	g_free(out2);

	/* Any error: non-zero, every error with file:line. */
	write_text(conf, "[global]\n"
			 "\tsmb3 encryption = mandatory\n"
			 "[data]\n"
			 "\tpath = /tmp\n"
			 "\toplocks = sometimes\n");
	CHECK_INT(run_tool((const char *[]){ "./ksmbd.mountd", "--check",
					     "--config", conf, "--pwddb", db,
					     NULL }, NULL, &out, &err), 1);
	CHECK(err && strstr(err, "check.conf:2: 'smb3 encryption = mandatory': not supported by this server yet"));
	CHECK(err && strstr(err, "check.conf:5: 'oplocks = sometimes'"));
	CHECK(out && !strstr(out, "[global]"));
	g_free(out);
	g_free(err);

	/* A broken password database is an error too. */
	write_text(conf, "[global]\n");
	write_text(db, "alice:nothash\n");
	CHECK_INT(run_tool((const char *[]){ "./ksmbd.mountd", "--check",
					     "--config", conf, "--users", db,
					     NULL }, NULL, NULL, &err), 1);
	CHECK(err && strstr(err, "check.db:1: the hash of 'alice'"));
	g_free(err);

	CHECK_INT(run_tool((const char *[]){ "./ksmbd.mountd", "-V", NULL },
			   NULL, &out, NULL), 0);
	CHECK(out && g_str_has_prefix(out, "ksmbd.mountd (ksmbd tools) "));
	g_free(out);
	CHECK_INT(run_tool((const char *[]){ "./ksmbd.mountd", "-n2", "-t",
					     NULL }, NULL, NULL, &err), 1);
	CHECK(err && strstr(err, "invalid --nodetach way '2'"));
	g_free(err);
	g_free(conf);
	g_free(again);
	g_free(db);
}

void test_cli(void)
{
	test_check();
}
