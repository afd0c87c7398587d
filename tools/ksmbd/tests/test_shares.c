// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Share loading, access lists and host matching.
 */
#include <errno.h>

#include <linux/smb_server.h>

#include "../hosts.h"
#include "../shares.h"
#include "tests.h"

static struct share_table *load(const char *text, GError **err)
{
	struct conf_file *conf = conf_parse_text("s.conf", text, err);
	struct share_table *tbl;

	if (!conf)
		return NULL;
	tbl = shares_load(conf, err);
	conf_free(conf);
	return tbl;
}

static void test_flags(void)
{
	struct share_table *tbl;
	struct share *sh;
	GError *err = NULL;

	tbl = load("[global]\n"
		   "browseable = no\n"
		   "create mask = 0600\n"
		   "hosts allow = 10.\n"
		   "workgroup = W\n"
		   "[plain]\n"
		   "path = /tmp\n"
		   "[rw]\n"
		   "path = /tmp\n"
		   "writable = yes\n"
		   "browsable = yes\n"
		   "guest ok = yes\n"
		   "store dos attributes = no\n"
		   "oplocks = no\n"
		   "hide dot files = no\n"
		   "streams = no\n"
		   "acl = no\n"
		   "smb encrypt = off\n"
		   "create mode = 0640\n"
		   "directory mask = 0750\n"
		   "force create mode = 0600\n"
		   "force directory mode = 0700\n"
		   "force user = root\n"
		   "force group = root\n"
		   "comment = Read and write\n"
		   "hosts allow =\n"
		   "[wo]\n"
		   "path = /tmp\n"
		   "write ok = yes\n"
		   "public = yes\n"
		   "smb encrypt = required\n"
		   "available = no\n"
		   "[want]\n"
		   "path = /tmp\n"
		   "server smb encrypt = desired\n", &err);
	CHECK(tbl);
	if (!tbl) {
		fprintf(stderr, "  %s\n", err->message);
		g_error_free(err);
		return;
	}
	CHECK_INT(tbl->list->len, 5);		/* with IPC$ */

	sh = shares_find(tbl, "PLAIN");
	CHECK(sh);
	if (sh) {
		CHECK_STR(sh->path, "/tmp");
		CHECK_STR(sh->comment, "");
		/* No flag for what the kernel does not do. */
		CHECK_INT(sh->flags, SMB_SERVER_SHARE_READ_ONLY |
				     SMB_SERVER_SHARE_HIDE_DOT_FILES);
		CHECK_INT(sh->create_mask, 0600);	/* from [global] */
		CHECK_INT(sh->dir_mask, 0755);
		CHECK(sh->hosts_allow && !strcmp(sh->hosts_allow[0], "10."));
		CHECK(sh->available);
	}
	sh = shares_find(tbl, "rw");
	CHECK(sh);
	if (sh) {
		CHECK_INT(sh->flags, SMB_SERVER_SHARE_BROWSEABLE |
				     SMB_SERVER_SHARE_GUEST_OK);
		CHECK_INT(sh->create_mask, 0640);
		CHECK_INT(sh->dir_mask, 0750);
		CHECK_INT(sh->force_create_mode, 0600);
		CHECK_INT(sh->force_dir_mode, 0700);
		CHECK_STR(sh->force_user, "root");
		CHECK_STR(sh->force_group, "root");
		CHECK_STR(sh->comment, "Read and write");
		CHECK(sh->hosts_allow && !sh->hosts_allow[0]);
	}
	sh = shares_find(tbl, "wo");
	CHECK(sh && !(sh->flags & SMB_SERVER_SHARE_READ_ONLY));
	CHECK(sh && (sh->flags & SMB_SERVER_SHARE_GUEST_OK));
	CHECK(sh && !sh->available);
	CHECK(sh && (sh->flags & SMB_SERVER_SHARE_ENCRYPT));
	CHECK(sh && !(sh->flags & SMB_SERVER_SHARE_ENCRYPT_DESIRED));
	sh = shares_find(tbl, "want");
	CHECK(sh && (sh->flags & SMB_SERVER_SHARE_ENCRYPT_DESIRED));
	CHECK(sh && !(sh->flags & SMB_SERVER_SHARE_ENCRYPT));

	/* IPC$: a pipe share, guest ok despite nothing saying so. */
	sh = shares_find(tbl, "ipc$");
	CHECK(sh);
	if (sh) {
		CHECK_STR(sh->name, "IPC$");
		CHECK(!sh->path);
		CHECK_INT(sh->flags, SMB_SERVER_SHARE_PIPE |
				     SMB_SERVER_SHARE_GUEST_OK);
		CHECK(sh->hosts_allow && !strcmp(sh->hosts_allow[0], "10."));
	}
	shares_free(tbl);
}

static void test_ipc_and_missing_config(void)
{
	struct share_table *tbl;
	struct share *sh;
	GError *err = NULL;

	tbl = shares_load(NULL, &err);
	CHECK(tbl && tbl->list->len == 1);
	CHECK(tbl && shares_find(tbl, "IPC$"));
	shares_free(tbl);

	log_capture_start();
	tbl = load("[global]\nguest ok = no\n"
		   "[IPC$]\npath = /srv\nhosts deny = ALL\n"
		   "[homes]\nbrowseable = no\n", &err);
	CHECK(tbl && tbl->list->len == 1);
	CHECK(log_captured("s.conf:4: IPC$ has no path, 'path' ignored"));
	sh = tbl ? shares_find(tbl, "IPC$") : NULL;
	CHECK(sh && sh->flags == (SMB_SERVER_SHARE_PIPE |
				  SMB_SERVER_SHARE_GUEST_OK));
	CHECK(sh && sh->hosts_deny && !strcmp(sh->hosts_deny[0], "ALL"));
	shares_free(tbl);

	tbl = load("[ipc$]\nguest ok = no\n", &err);
	sh = tbl ? shares_find(tbl, "IPC$") : NULL;
	CHECK(sh && sh->flags == SMB_SERVER_SHARE_PIPE);
	shares_free(tbl);
}

static void load_fails(const char *text, const char *message)
{
	GError *err = NULL;
	struct share_table *tbl = load(text, &err);

	CHECK(!tbl);
	CHECK(err);
	if (err) {
		CHECK_STR(err->message, message);
		g_error_free(err);
	}
	shares_free(tbl);
}

static void test_errors(void)
{
	char *name, *text, *message;

	load_fails("[a]\ncomment = x\n", "s.conf:1: share [a] has no path");
	load_fails("[a]\npath = srv\n",
		   "s.conf:2: invalid value 'srv' for 'path': expected an absolute path (substitutions: %U user, %S share, %H home)");
	load_fails("[a]\npath = /\nread only = sometimes\n",
		   "s.conf:3: invalid value 'sometimes' for 'read only': expected yes or no");
	load_fails("[global]\noplocks = 2\n[a]\npath = /\n",
		   "s.conf:2: 'oplocks = 2': expected yes or no");
	load_fails("[a]\npath = /\ncreate mask = 999\n",
		   "s.conf:3: invalid value '999' for 'create mask': expected an octal mode such as 0644");
	load_fails("[a*b]\npath = /\n",
		   "s.conf:1: invalid share name [a*b]: share names cannot contain control characters or any of \"/\\[]:|<>+=;,*?");
	/* A name one character too long. */
	name = g_strnfill(81, 'a');
	text = g_strdup_printf("[%s]\npath = /\n", name);
	message = g_strdup_printf("s.conf:1: invalid share name [%s]: %s", name,
				  "share names are 1 to 80 characters of valid UTF-8");
	load_fails(text, message);
	g_free(message);
	g_free(text);
	g_free(name);
	load_fails("[a]\npath = /\nsmb encrypt = sometimes\n",
		   "s.conf:3: invalid value 'sometimes' for 'smb encrypt': expected off, if_required, desired or required");

	log_capture_start();
	shares_free(load("[a]\npath = /nonexistent/dir\nhosts allow = server.lan\n",
			 NULL));
	CHECK(log_captured("s.conf:1: [a]: /nonexistent/dir is not an existing directory"));
	CHECK(log_captured("s.conf:3: 'server.lan' in 'hosts allow' is not a numeric address"));
}

static void test_access(void)
{
	static const gid_t root_groups[] = { 0 };
	struct user_ident root = { "root", 0, root_groups, 1 };
	struct user_ident alice = { "alice", 12345, NULL, 0 };
	struct share_table *tbl;
	struct share *sh;
	GError *err = NULL;
	const char *why;
	bool ro;

	tbl = load("[lists]\npath = /\nread only = no\n"
		   "valid users = Alice, @root\n"
		   "read list = alice\n"
		   "[wl]\npath = /\n"
		   "write list = +root\n"
		   "invalid users = bob\n"
		   "[guest]\npath = /\nguest ok = yes\n"
		   "valid users = nobody\n", &err);
	CHECK(tbl);
	if (!tbl)
		return;

	sh = shares_find(tbl, "lists");
	CHECK_INT(share_check_access(sh, &alice, false, &ro, &why), 0);
	CHECK(ro);				/* read list */
	CHECK_INT(share_check_access(sh, &root, false, &ro, &why), 0);
	CHECK(!ro);				/* @root, read only = no */
	alice.name = "carol";
	CHECK_INT(share_check_access(sh, &alice, false, &ro, &why), -EACCES);
	CHECK_STR(why, "not listed in valid users");
	CHECK_INT(share_check_access(sh, &alice, true, &ro, &why), -EACCES);
	CHECK_STR(why, "guest access is not allowed (guest ok = no)");

	sh = shares_find(tbl, "wl");
	CHECK_INT(share_check_access(sh, &root, false, &ro, &why), 0);
	CHECK(!ro);				/* write list beats read only */
	CHECK_INT(share_check_access(sh, &alice, false, &ro, &why), 0);
	CHECK(ro);
	alice.name = "BOB";
	CHECK_INT(share_check_access(sh, &alice, false, &ro, &why), -EACCES);
	CHECK_STR(why, "listed in invalid users");

	sh = shares_find(tbl, "guest");
	alice.name = "nobody";
	CHECK_INT(share_check_access(sh, &alice, true, &ro, &why), 0);
	CHECK(ro);
	shares_free(tbl);
}

static void test_hosts(void)
{
	static char *const allow[] = { "192.168.1.", "10.0.0.0/8", NULL };
	static char *const deny[] = { "ALL", NULL };
	static char *const deny_one[] = { "192.168.1.66", "fe80::/10", NULL };

	CHECK(host_match("192.168.1.5", "192.168.1.5"));
	CHECK(!host_match("192.168.1.5", "192.168.1.50"));
	CHECK(host_match("192.168.1.", "192.168.1.50"));
	CHECK(!host_match("192.168.1.", "192.168.10.5"));
	CHECK(host_match("10.0.0.0/8", "10.200.3.4"));
	CHECK(!host_match("10.0.0.0/8", "11.0.0.1"));
	CHECK(host_match("172.16.0.0/255.240.0.0", "172.31.255.255"));
	CHECK(!host_match("172.16.0.0/255.240.0.0", "172.32.0.1"));
	CHECK(host_match("0.0.0.0/0", "8.8.8.8"));
	CHECK(host_match("ALL", "2001:db8::1"));
	CHECK(host_match("localhost", "127.0.0.1"));
	CHECK(host_match("localhost", "::1"));
	CHECK(!host_match("localhost", "10.0.0.1"));
	CHECK(host_match("2001:db8::1", "2001:DB8:0:0::1"));
	CHECK(host_match("2001:db8::/32", "2001:db8:ffff::7"));
	CHECK(!host_match("2001:db8::/32", "2001:db9::7"));
	CHECK(host_match("fe80:", "FE80::1%eth0"));
	CHECK(host_match("192.168.1.7", "::ffff:192.168.1.7"));
	CHECK(host_match("192.168.1.7", "[::ffff:192.168.1.7]"));
	CHECK(!host_match("192.168.1.7", "2001:db8::1"));
	CHECK(!host_match("server.lan", "192.168.1.7"));

	CHECK(host_pattern_valid("10.0.0.0/8"));
	CHECK(host_pattern_valid("fe80::/10"));
	CHECK(host_pattern_valid("192.168."));
	CHECK(!host_pattern_valid("10.0.0.0/33"));
	CHECK(!host_pattern_valid("10.0.0.0/255.0.255.0"));
	CHECK(!host_pattern_valid("EXCEPT"));
	CHECK(!host_pattern_valid("host.example"));

	/* allow + deny ALL: only the allowed get in */
	CHECK(host_allowed(allow, deny, "192.168.1.9"));
	CHECK(host_allowed(allow, deny, "10.1.1.1"));
	CHECK(!host_allowed(allow, deny, "172.16.0.1"));
	/* allow only: the same */
	CHECK(!host_allowed(allow, NULL, "172.16.0.1"));
	CHECK(host_allowed(allow, NULL, "10.1.1.1"));
	/* deny only */
	CHECK(!host_allowed(NULL, deny_one, "192.168.1.66"));
	CHECK(!host_allowed(NULL, deny_one, "fe80::5"));
	CHECK(host_allowed(NULL, deny_one, "192.168.1.67"));
	/* allow wins over deny */
	CHECK(host_allowed(allow, deny_one, "192.168.1.66"));
	CHECK(host_allowed(NULL, NULL, "1.2.3.4"));
}

void test_shares(void)
{
	test_flags();
	test_ipc_and_missing_config();
	test_errors();
	test_access();
	test_hosts();
}
