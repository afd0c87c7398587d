// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command lines: "ksmbd.mountd --check", and the option letters and
 * long names of ksmbd-tools 3.4 and 3.5 next to ours.
 */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../pidfile.h"
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
	CHECK_INT(run_tool(ARGV("./ksmbd.mountd", "--check", "-C", conf, "-P",
				db), NULL, &out, &err), 0);
	/* Every setting, defaults included, comments gone. */
	CHECK(out && strstr(out, ", 1 users in "));
	CHECK(out && strstr(out, "[global]\n"));
	CHECK(out && strstr(out, "\tworkgroup = LAB\n"));
	CHECK(out && strstr(out, "\tsmb2 max read = 8M\n"));
	CHECK(out && strstr(out, "\tserver signing = auto\n"));
	CHECK(out && strstr(out, "\tsmb3 encryption = off\n"));
	CHECK(out && strstr(out, "\n[data]\n\tpath = /tmp\n"));
	CHECK(out && strstr(out, "\tvalid users = alice\n"));
	CHECK(out && strstr(out, "\tcreate mask = 0744\n"));
	CHECK(out && strstr(out, "\n[IPC$]\n"));
	g_free(err);

	/* The output is a configuration that loads to the same settings. */
	write_text(again, out ? out : "");
	CHECK_INT(run_tool(ARGV("./ksmbd.mountd", "-t", "-c", again, "-u", db),
			   NULL, &out2, NULL), 0);
	/* Past the first line, which names the files. */
	CHECK(out && out2 && strchr(out, '\n') && strchr(out2, '\n') &&
	      !strcmp(strchr(out, '\n'), strchr(out2, '\n')));
	g_free(out);
	g_free(out2);

	/* Any error: non-zero, every error with file:line. */
	write_text(conf, "[global]\n"
			 "\tbind interfaces only = yes\n"
			 "[data]\n"
			 "\tpath = /tmp\n"
			 "\toplocks = sometimes\n");
	CHECK_INT(run_tool(ARGV("./ksmbd.mountd", "--check", "--config", conf,
				"--pwddb", db), NULL, &out, &err), 1);
	CHECK_HAS(err,
		  "check.conf:2: 'bind interfaces only = yes': not supported by this server yet");
	CHECK(err && strstr(err, "check.conf:5: 'oplocks = sometimes'"));
	CHECK(out && !strstr(out, "[global]"));
	g_free(out);
	g_free(err);

	/* A broken password database is an error too. */
	write_text(conf, "[global]\n");
	write_text(db, "alice:nothash\n");
	CHECK_INT(run_tool(ARGV("./ksmbd.mountd", "--check", "--config", conf,
				"--users", db), NULL, NULL, &err), 1);
	CHECK(err && strstr(err, "check.db:1: the hash of 'alice'"));
	g_free(err);

	CHECK_INT(run_tool(ARGV("./ksmbd.mountd", "-V"), NULL, &out, NULL), 0);
	CHECK(out && g_str_has_prefix(out, "ksmbd.mountd (ksmbd tools) "));
	g_free(out);
	CHECK_INT(run_tool(ARGV("./ksmbd.mountd", "-n2", "-t"),
			   NULL, NULL, &err), 1);
	CHECK(err && strstr(err, "invalid --nodetach way '2'"));
	g_free(err);
	g_free(conf);
	g_free(again);
	g_free(db);
}

static void test_adduser_names(void)
{
	char *db = test_path("names.db");
	char *out, *err, *text;

	/* 3.5: the user is the operand, no action: add, then update. */
	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "-P", db, "-p", "one",
				"alice"), NULL, &out, NULL), 0);
	CHECK(out && strstr(out, "user 'alice' added to"));
	g_free(out);
	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "-P", db, "-p", "Password",
				"alice"), NULL, &out, NULL), 0);
	CHECK(out && strstr(out, "user 'alice' updated in"));
	g_free(out);
	/* 3.5: -a as a flag, options between it and the user. */
	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "-a", "-p", "x", "-P", db,
				"bob"), NULL, NULL, NULL), 0);
	/* 3.4: --add-user=USER, -i PWDDB, -c SMBCONF, -v. */
	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "-v", "--add-user=carol",
				"-p", "x", "-i", db, "-c", "/nonexistent"),
			   NULL, NULL, NULL), 0);
	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "--del-user=bob", "-i", db),
			   NULL, NULL, NULL), 0);
	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "-d", "-P", db, "carol"),
			   NULL, NULL, NULL), 0);
	text = read_text(db);
	CHECK_STR(text, "alice:pPScQGUQvcq2gk7nww/YUg==\n");
	g_free(text);

	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "-a", "x", "y", "-P", db,
				"-p", "q"), NULL, NULL, &err), 1);
	CHECK(err && strstr(err, "unexpected argument 'y'"));
	g_free(err);
	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "-P", db),
			   NULL, NULL, &err), 1);
	CHECK(err && strstr(err, "Usage: ksmbd.adduser"));
	g_free(err);
	g_free(db);
}

static void test_addshare_names(void)
{
	char *conf = test_path("names.conf");
	char *out, *err, *text;

	write_text(conf, "[global]\n");
	/* 3.4: --add-share=SHARE, one -o with "k=v k=v", -c. */
	CHECK_INT(run_tool(ARGV("./ksmbd.addshare", "--add-share=pub", "-o",
				"'path=/tmp guest ok=yes comment=a=b'", "-c",
				conf), NULL, NULL, &err), 0);
	g_free(err);
	/* 3.5: no action, the share as operand; lines in one -o. */
	CHECK_INT(run_tool(ARGV("./ksmbd.addshare", "-C", conf, "-P",
				"/nonexistent", "-o",
				"'read only = no\nbrowseable = no'", "PUB"),
			   NULL, &out, NULL),
		  0);
	CHECK(out && strstr(out, "share [PUB] updated in"));
	g_free(out);
	text = read_text(conf);
	CHECK_STR(text, "[global]\n\n[pub]\n\tpath = /tmp\n\tguest ok = yes\n"
			"\tcomment = a=b\n\tread only = no\n"
			"\tbrowseable = no\n");
	g_free(text);

	/* Options the server lacks: the file decides, as at start-up. */
	CHECK_INT(run_tool(ARGV("./ksmbd.addshare", "-u", "pub", "-o",
				"'streams = yes'", "-C", conf),
			   NULL, NULL, &err),
		  1);
	CHECK(err && strstr(err, "'streams = yes': not supported by this server yet"));
	g_free(err);
	CHECK_INT(run_tool(ARGV("./ksmbd.addshare", "-u", "pub", "-o",
				"'smb2 leases = no'", "-C", conf),
			   NULL, NULL, &err),
		  1);
	CHECK(err && strstr(err, "it is a [global] option"));
	g_free(err);
	/* A value that would read back shorter is refused. */
	CHECK_INT(run_tool(ARGV("./ksmbd.addshare", "-u", "pub", "-o",
				"'comment = a ; b'", "-C", conf),
			   NULL, NULL, &err),
		  1);
	CHECK(err && strstr(err, "would start a comment"));
	g_free(err);
	CHECK_INT(run_tool(ARGV("./ksmbd.addshare", "-d", "-C", conf, "pub"),
			   NULL, NULL, NULL), 0);
	text = read_text(conf);
	CHECK_STR(text, "[global]\n");
	g_free(text);
	g_free(conf);
}

/*
 * ksmbd.addshare signals the ksmbd.mountd holding the lock file: a child
 * stands in for it and waits for SIGHUP.
 */
static void test_addshare_reload(void)
{
	char *lock = test_path("mountd.lock");
	char *conf = test_path("reload.conf");
	struct timespec wait = { .tv_sec = 5 };
	char *cmd, *out = NULL;
	int p[2], fd, status = -1;
	sigset_t hup;
	pid_t pid, holder;
	char c;

	write_text(conf, "[global]\n");
	sigemptyset(&hup);
	sigaddset(&hup, SIGHUP);
	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		sigprocmask(SIG_BLOCK, &hup, NULL);
		if (pidfile_lock(lock, &fd, &holder) ||
		    pidfile_write(fd, getpid()) || write(p[1], "r", 1) != 1)
			_exit(2);
		_exit(sigtimedwait(&hup, NULL, &wait) == SIGHUP ? 0 : 1);
	}
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 1);
	close(p[0]);
	cmd = g_strdup_printf("KSMBD_LOCK_FILE=%s ./ksmbd.addshare", lock);
	CHECK_INT(run_tool(ARGV(cmd, "-a", "new", "-o", "'path = /tmp'", "-C",
				conf), NULL, &out, NULL), 0);
	CHECK(out && strstr(out, "is reloading"));
	if (pid > 0)
		waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	g_free(out);
	g_free(cmd);
	g_free(conf);
	g_free(lock);
}

static void test_control_names(void)
{
	char *conf = test_path("control.conf");
	char *out, *err;

	write_text(conf, "[global]\n[data]\npath = /srv/data\n[homes]\n");
	CHECK_INT(run_tool(ARGV("./ksmbd.control", "-l", "-C", conf),
			   NULL, &out, NULL),
		  0);
	CHECK_STR(out, "data\t/srv/data\nIPC$\t(pipe)\n"
		       "homes\t(each user's home directory)\n");
	g_free(out);
	/* ksmbd-tools' component names: smb is ours pdu; no oplock code. */
	CHECK_INT(run_tool(ARGV("./ksmbd.control", "--debug", "oplock"),
			   NULL, NULL, &err), 1);
	CHECK(err && strstr(err, "this server has no oplock or rdma code"));
	g_free(err);
	CHECK_INT(run_tool(ARGV("./ksmbd.control", "-s", "-l"),
			   NULL, NULL, &err), 1);
	CHECK(err && strstr(err, "give only one action"));
	g_free(err);
	g_free(conf);
}

void test_cli(void)
{
	test_check();
	test_adduser_names();
	test_addshare_names();
	test_addshare_reload();
	test_control_names();
}
