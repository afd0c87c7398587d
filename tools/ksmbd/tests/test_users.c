// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The password database and the ksmbd.adduser command.
 */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../users.h"
#include "../util.h"
#include "tests.h"

/* The NT hash of "Password": hex (read), base64 (read and written). */
#define PASSWORD_HASH	"A4F49C406510BDCAB6824EE7C30FD852"
#define PASSWORD_B64	"pPScQGUQvcq2gk7nww/YUg=="

static void test_names(void)
{
	char long_name[300];
	const char *why;

	CHECK(user_name_valid("alice", &why));
	CHECK(user_name_valid("J\xc3\xb6rg M\xc3\xbcller", &why));
	CHECK(!user_name_valid("", &why));
	CHECK(!user_name_valid("a:b", &why));
	CHECK(!user_name_valid("a\nb", &why));
	CHECK(!user_name_valid("tab\there", &why));
	CHECK(!user_name_valid("#comment", &why));
	CHECK(!user_name_valid("bad\xff", &why));
	memset(long_name, 'a', 255);
	long_name[255] = '\0';
	CHECK(user_name_valid(long_name, &why));
	long_name[255] = 'a';
	long_name[256] = '\0';
	CHECK(!user_name_valid(long_name, &why));
}

static void test_round_trip(void)
{
	char *path = test_path("users/ksmbdpwd.db");
	uint8_t want[MD4_DIGEST_SIZE];
	struct user_db *db, *again;
	GError *err = NULL;
	struct user *u;
	struct stat st;
	char *text;

	db = userdb_new(path);
	CHECK_INT(userdb_load(db, &err), 0);		/* missing: empty */
	CHECK_INT(db->list->len, 0);
	CHECK_INT(userdb_add(db, "alice", "Password", &err), 0);
	CHECK_INT(userdb_add(db, "bob", "other", &err), 0);
	CHECK_INT(userdb_add(db, "ALICE", "x", &err), -EEXIST);
	CHECK(err && strstr(err->message, "user 'alice' already exists"));
	g_clear_error(&err);
	CHECK_INT(userdb_add(db, "bad:name", "x", &err), -EINVAL);
	g_clear_error(&err);
	CHECK_INT(userdb_save(db, &err), 0);

	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600);
	text = read_text(path);
	CHECK(text && g_str_has_prefix(text, "alice:" PASSWORD_B64 "\nbob:"));
	g_free(text);

	again = userdb_new(path);
	CHECK_INT(userdb_load(again, &err), 0);
	CHECK_INT(again->list->len, 2);
	u = userdb_find(again, "Alice");
	CHECK(u);
	hex_decode(PASSWORD_HASH, want, sizeof(want));
	if (u) {
		CHECK_STR(u->name, "alice");
		CHECK_MEM(u->hash, want, sizeof(want));
		CHECK(!u->disabled);
	}

	/* update, disable, delete */
	CHECK_INT(userdb_set_password(again, "BOB", "Password", &err), 0);
	CHECK_INT(userdb_set_disabled(again, "alice", true, &err), 0);
	CHECK_INT(userdb_set_password(again, "carol", "x", &err), -ENOENT);
	CHECK(err && strstr(err->message, "user 'carol' does not exist"));
	g_clear_error(&err);
	CHECK_INT(userdb_save(again, &err), 0);
	text = read_text(path);
	CHECK_STR(text, "alice:!" PASSWORD_B64 "\nbob:" PASSWORD_B64 "\n");
	g_free(text);

	/* The first handle notices the change. */
	CHECK_INT(userdb_refresh(db), 1);
	CHECK(userdb_find(db, "alice") && userdb_find(db, "alice")->disabled);
	CHECK_INT(userdb_refresh(db), 0);

	CHECK_INT(userdb_set_disabled(again, "alice", false, &err), 0);
	CHECK_INT(userdb_delete(again, "Bob", &err), 0);
	CHECK_INT(userdb_delete(again, "bob", &err), -ENOENT);
	g_clear_error(&err);
	CHECK(!userdb_find(again, "bob"));
	CHECK_INT(userdb_save(again, &err), 0);
	text = read_text(path);
	CHECK_STR(text, "alice:" PASSWORD_B64 "\n");
	g_free(text);

	CHECK_INT(userdb_delete(again, "alice", &err), 0);
	CHECK_INT(userdb_save(again, &err), 0);
	text = read_text(path);
	CHECK_STR(text, "");
	g_free(text);

	userdb_free(again);
	userdb_free(db);
	g_free(path);
}

static void db_fails(const char *text, const char *message)
{
	char *path = test_path("bad.db");
	struct user_db *db = userdb_new(path);
	GError *err = NULL;
	char *full;

	write_text(path, text);
	CHECK_INT(userdb_load(db, &err), -EINVAL);
	CHECK(err);
	CHECK_INT(db->list->len, 0);
	full = g_strdup_printf("%s%s", path, message);
	if (err)
		CHECK_STR(err->message, full);
	g_clear_error(&err);
	g_free(full);
	userdb_free(db);
	g_free(path);
}

static void test_parse(void)
{
	char *path = test_path("ok.db");
	struct user_db *db = userdb_new(path);
	GError *err = NULL;

	write_text(path, "# users\n\n  carol:" PASSWORD_HASH "\x20\x20\n"
			 "dave:!" PASSWORD_HASH "\n");
	CHECK_INT(userdb_load(db, &err), 0);
	CHECK_INT(db->list->len, 2);
	CHECK(userdb_find(db, "CAROL") && !userdb_find(db, "carol")->disabled);
	CHECK(userdb_find(db, "dave") && userdb_find(db, "dave")->disabled);

	/* A broken file leaves the loaded list alone. */
	write_text(path, "carol\n");
	CHECK(userdb_refresh(db) < 0);
	CHECK_INT(db->list->len, 2);
	userdb_free(db);
	g_free(path);

	db_fails("alice\n", ":1: expected 'name:HASH'");
	db_fails("alice:1234\n",
		 ":1: the hash of 'alice' is neither base64 (24 characters) nor 32 hex digits");
	db_fails("# x\nalice:" PASSWORD_HASH "ff\n",
		 ":2: the hash of 'alice' is neither base64 (24 characters) nor 32 hex digits");
	db_fails("alice:pPScQGUQvcq2gk7nww/YU===\n",
		 ":1: the hash of 'alice' is neither base64 (24 characters) nor 32 hex digits");
	db_fails("alice:pPScQGUQvcq2gk7n*w/YUg==\n",
		 ":1: the hash of 'alice' is neither base64 (24 characters) nor 32 hex digits");
	db_fails("alice:" PASSWORD_HASH "\nAlice:" PASSWORD_HASH "\n",
		 ":2: user 'Alice' is listed twice (as 'alice')");
	db_fails(":" PASSWORD_HASH "\n",
		 ":1: invalid user name: user names are 1 to 255 bytes long");
}

int run_tool(const char *const *argv, const char *input, char **out,
	     char **err)
{
	char *cmd = g_strjoinv(" ", (char **)argv);
	char *in = test_path("stdin");
	char *full, *o = NULL, *e = NULL;
	int status = -1;
	GError *gerr = NULL;

	write_text(in, input ? input : "");
	full = g_strdup_printf("%s < %s", cmd, in);
	if (!g_spawn_sync(NULL, (char *[]){ "/bin/sh", "-c", full, NULL },
			  NULL, 0, NULL, NULL, &o, &e, &status, &gerr)) {
		fprintf(stderr, "  cannot run %s: %s\n", cmd, gerr->message);
		g_error_free(gerr);
	}
	if (out)
		*out = o;
	else
		g_free(o);
	if (err)
		*err = e;
	else
		g_free(e);
	g_free(full);
	g_free(cmd);
	g_free(in);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_adduser_cli(void)
{
	char *db = test_path("cli/pwd.db");
	char *out, *err, *text;

	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "-a", "erin", "-p",
				"Password", "-P", db, "-C", "/nonexistent"),
			   NULL, &out, &err), 0);
	CHECK(out && strstr(out, "user 'erin' added to"));
	g_free(out);
	g_free(err);
	text = read_text(db);
	CHECK_STR(text, "erin:" PASSWORD_B64 "\n");
	g_free(text);

	/* Password from a pipe: one line. */
	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "--update", "ERIN",
				"--pwddb", db),
			   "other\nignored\n", NULL, NULL), 0);
	text = read_text(db);
	CHECK(text && g_str_has_prefix(text, "erin:") &&
	      !strstr(text, PASSWORD_HASH));
	g_free(text);

	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "-a", "erin", "-p", "x",
				"-P", db), NULL, NULL, &err), 1);
	CHECK(err && strstr(err, "already exists"));
	g_free(err);
	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "-a", "'bad:name'", "-p",
				"x", "-P", db), NULL, NULL, &err), 1);
	CHECK(err && strstr(err, "invalid user name"));
	g_free(err);
	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "-a", "x", "-d", "y", "-P",
				db), NULL, NULL, NULL), 1);
	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "-u", "frank", "-P", db),
			   "pw\n", NULL, &err), 1);
	CHECK(err && strstr(err, "does not exist"));
	g_free(err);
	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "-D", "erin", "-P", db),
			   NULL, NULL, NULL), 0);
	text = read_text(db);
	CHECK(text && g_str_has_prefix(text, "erin:!"));
	g_free(text);
	CHECK_INT(run_tool(ARGV("./ksmbd.adduser", "-d", "erin", "-P", db),
			   NULL, NULL, NULL), 0);
	text = read_text(db);
	CHECK_STR(text, "");
	g_free(text);
	g_free(db);
}

/*
 * tests/data/ksmbd-tools-3.4.7.db was written by Debian's ksmbd.adduser
 * 3.4.7: "ksmbd.adduser -a alice -p Secret1", then "-a bob -p ''".
 */
static void test_ksmbd_tools_db(void)
{
	struct user_db *db = userdb_new("tests/data/ksmbd-tools-3.4.7.db");
	uint8_t want[MD4_DIGEST_SIZE];
	GError *err = NULL;
	struct user *u;

	CHECK_INT(userdb_load(db, &err), 0);
	if (err) {
		fprintf(stderr, "  %s\n", err->message);
		g_clear_error(&err);
	}
	CHECK_INT(db->list->len, 2);
	u = userdb_find(db, "alice");
	CHECK(u);
	CHECK_INT(nt_hash("Secret1", want), 0);
	if (u)
		CHECK_MEM(u->hash, want, sizeof(want));
	u = userdb_find(db, "bob");
	CHECK(u);
	CHECK_INT(nt_hash("", want), 0);
	if (u)
		CHECK_MEM(u->hash, want, sizeof(want));
	userdb_free(db);
}

void test_users(void)
{
	test_ksmbd_tools_db();
	test_names();
	test_round_trip();
	test_parse();
	test_adduser_cli();
}
