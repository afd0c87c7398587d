// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The smb.conf parser, value parsers and [global] settings.
 */
#include <errno.h>
#include <syslog.h>

#include <linux/smb_server.h>

#include "../config.h"
#include "../globals.h"
#include "../shares.h"
#include "../util.h"
#include "tests.h"

static struct conf_file *parse(const char *text)
{
	GError *err = NULL;
	struct conf_file *conf = conf_parse_text("t.conf", text, &err);

	if (!conf) {
		fprintf(stderr, "  unexpected error: %s\n", err->message);
		g_error_free(err);
	}
	return conf;
}

/* Parse text expected to fail; check the message. */
static void parse_fails(const char *text, const char *message)
{
	GError *err = NULL;
	struct conf_file *conf = conf_parse_text("t.conf", text, &err);

	CHECK(!conf);
	CHECK(err);
	if (err) {
		CHECK_STR(err->message, message);
		g_error_free(err);
	}
	conf_free(conf);
}

static void test_syntax(void)
{
	struct conf_file *conf;
	struct conf_section *sec;

	log_capture_start();
	conf = parse("# comment\n"
		     "; another\n"
		     "[global]\n"
		     "   workgroup   =   HOME\x20\x20\n"
		     "\tNetBIOS_Name=box\n"
		     "\n"
		     "[Data]\r\n"
		     "path = /srv/data\r\n"
		     "valid users = alice, \\\n"
		     "      bob\n"
		     "READ ONLY = no\n"
		     "read_only = yes\n"
		     "comment =\n"
		     "  # indented comment \\\n"
		     "browseable = no");
	CHECK(conf);
	if (!conf)
		return;
	CHECK_INT(conf->sections->len, 2);
	sec = conf_find_section(conf, "GLOBAL");
	CHECK(sec);
	CHECK_STR(conf_get(sec, "workgroup"), "HOME");
	CHECK_STR(conf_get(sec, "netbios name"), "box");
	CHECK_STR(conf_get(sec, "NETBIOSNAME"), "box");

	sec = conf_find_section(conf, "data");
	CHECK(sec);
	CHECK_STR(sec->name, "Data");
	CHECK_INT(sec->line, 7);
	CHECK_STR(conf_get(sec, "path"), "/srv/data");
	CHECK_STR(conf_get(sec, "validusers"), "alice, bob");
	/* The last of "READ ONLY" and "read_only" wins, with a warning. */
	CHECK_STR(conf_get(sec, "readonly"), "yes");
	CHECK(log_captured("t.conf:12: 'read_only' already set at line 11"));
	CHECK_STR(conf_get(sec, "comment"), "");
	/* A comment line is not continued by its trailing backslash. */
	CHECK_STR(conf_get(sec, "browseable"), "no");
	CHECK(!conf_get(sec, "nosuchkey"));
	CHECK_INT(conf_find_param(sec, "browseable")->line, 15);
	conf_free(conf);

	CHECK(conf_key_equal("read only", "READ_ONLY"));
	CHECK(conf_key_equal("readonly", "  read  only "));
	CHECK(!conf_key_equal("read only", "read list"));
}

static void test_syntax_errors(void)
{
	struct conf_file *conf;
	GError *err = NULL;

	parse_fails("[global]\nworkgroup = x\n[share\npath = /\n",
		    "t.conf:3: missing ']'");
	parse_fails("[ ]\n", "t.conf:1: empty section name");
	parse_fails("[a]\npath /srv\n",
		    "t.conf:2: expected 'key = value' or '[section]'");
	parse_fails("[a]\n = x\n", "t.conf:2: missing key before '='");
	parse_fails("workgroup = x\n[global]\n",
		    "t.conf:1: 'workgroup' is outside of any section");
	parse_fails("[a]\npath = /a\n\n[A]\npath = /b\n",
		    "t.conf:4: duplicate section [A] (first at line 1)");
	/* Continued lines report the line where the statement starts. */
	parse_fails("[a]\npath = \\\n/x\n[b\n", "t.conf:4: missing ']'");

	log_capture_start();
	conf = parse("[a] trailing\npath = /a\n");
	CHECK(conf);
	CHECK(log_captured("t.conf:1: text after ']' ignored"));
	conf_free(conf);

	conf = conf_parse_file("/nonexistent/ksmbd.conf", &err);
	CHECK(!conf);
	CHECK(err && err->code == KSMBD_ERR_NOENT);
	g_clear_error(&err);
}

static void test_values(void)
{
	uint32_t n;
	uint16_t mode;
	bool b;
	char **list;

	CHECK(!conf_parse_bool("Yes", &b) && b);
	CHECK(!conf_parse_bool("TRUE", &b) && b);
	CHECK(!conf_parse_bool("1", &b) && b);
	CHECK(!conf_parse_bool("on", &b) && b);
	CHECK(!conf_parse_bool("no", &b) && !b);
	CHECK(!conf_parse_bool("False", &b) && !b);
	CHECK(!conf_parse_bool("0", &b) && !b);
	CHECK(!conf_parse_bool("OFF", &b) && !b);
	CHECK_INT(conf_parse_bool("maybe", &b), -EINVAL);
	CHECK_INT(conf_parse_bool("", &b), -EINVAL);

	CHECK(!conf_parse_size("8M", &n) && n == 8 << 20);
	CHECK(!conf_parse_size("512k", &n) && n == 512 << 10);
	CHECK(!conf_parse_size("4 MB", &n) && n == 4 << 20);
	CHECK(!conf_parse_size("65536", &n) && n == 65536);
	CHECK(!conf_parse_size("4095M", &n) && n == 4095U << 20);
	CHECK_INT(conf_parse_size("4096M", &n), -ERANGE);
	CHECK_INT(conf_parse_size("8G", &n), -EINVAL);
	CHECK_INT(conf_parse_size("M", &n), -EINVAL);
	CHECK_INT(conf_parse_size("-1", &n), -EINVAL);
	CHECK_INT(conf_parse_size("1B", &n), -EINVAL);

	CHECK(!conf_parse_u32("4294967295", &n) && n == 4294967295U);
	CHECK_INT(conf_parse_u32("4294967296", &n), -ERANGE);
	CHECK_INT(conf_parse_u32("99999999999999999999999", &n), -ERANGE);
	CHECK_INT(conf_parse_u32("12a", &n), -EINVAL);
	CHECK_INT(conf_parse_u32("", &n), -EINVAL);

	CHECK(!conf_parse_mode("0644", &mode) && mode == 0644);
	CHECK(!conf_parse_mode("2775", &mode) && mode == 02775);
	CHECK_INT(conf_parse_mode("0648", &mode), -EINVAL);
	CHECK_INT(conf_parse_mode("17777", &mode), -ERANGE);

	list = conf_parse_list(" alice,bob  carol,,\"Domain Users\", @staff");
	CHECK_INT(g_strv_length(list), 5);
	if (g_strv_length(list) == 5) {
		CHECK_STR(list[0], "alice");
		CHECK_STR(list[1], "bob");
		CHECK_STR(list[2], "carol");
		CHECK_STR(list[3], "Domain Users");
		CHECK_STR(list[4], "@staff");
	}
	g_strfreev(list);
	list = conf_parse_list("  ");
	CHECK_INT(g_strv_length(list), 0);
	g_strfreev(list);
}

static int load_globals(const char *text, struct smb_globals *g,
			GError **err)
{
	struct conf_file *conf = parse(text);
	int ret;

	if (!conf)
		return -EINVAL;
	ret = globals_load(conf, g, err);
	conf_free(conf);
	return ret;
}

static void test_globals_defaults(void)
{
	struct smb_globals g;

	CHECK_INT(globals_load(NULL, &g, NULL), 0);
	CHECK_INT(g.tcp_port, 445);
	CHECK_INT(g.min_dialect, 0x0202);
	CHECK_INT(g.max_dialect, 0x0311);
	CHECK_INT(g.max_read, 8 << 20);
	CHECK_INT(g.max_write, 8 << 20);
	CHECK_INT(g.max_trans, 8 << 20);
	CHECK_INT(g.signing, SMB_SERVER_SIGNING_AUTO);
	CHECK_INT(g.encryption, SMB_SERVER_ENCRYPTION_IF_REQUIRED);
	CHECK_INT(g.deadtime, 0);
	CHECK_INT(g.max_connections, 1024);
	CHECK_INT(g.max_ip_connections, 0);
	CHECK_INT(g.max_open_files, 16384);
	CHECK_INT(g.max_sessions, 1024);
	CHECK_INT(g.max_credits, 8192);
	CHECK_STR(g.workgroup, "WORKGROUP");
	CHECK_STR(g.guest_account, "nobody");
	CHECK(g.netbios_name && *g.netbios_name &&
	      strlen(g.netbios_name) < SMB_SERVER_NETBIOS_MAX);
	/* Leases, durable handles, multichannel: none of them yet. */
	CHECK_INT(g.flags, 0);
	globals_clear(&g);
}

static void test_globals_keys(void)
{
	struct smb_globals g;
	GError *err = NULL;

	CHECK_INT(load_globals("[global]\n"
			       "netbios name = fileserver\n"
			       "workgroup = lab\n"
			       "server string = Lab files\n"
			       "smb ports = 4445 139\n"
			       "server min protocol = SMB2_10\n"
			       "server max protocol = SMB3_02\n"
			       "server signing = mandatory\n"
			       "smb3 encryption = required\n"
			       "smb2 max read = 1M\n"
			       "smb2 max write = 4M\n"
			       "smb2 max trans = 512K\n"
			       "max connections = 100\n"
			       "max ip connections = 8\n"
			       "max open files = 500\n"
			       "max active sessions = 50\n"
			       "smb2 max credits = 512\n"
			       "deadtime = 15\n"
			       "map to guest = Bad User\n"
			       "guest account = ftp\n"
			       "log level = 1\n", &g, &err), 0);
	CHECK_STR(g.netbios_name, "FILESERVER");
	CHECK_STR(g.workgroup, "LAB");
	CHECK_STR(g.server_string, "Lab files");
	CHECK_INT(g.tcp_port, 4445);
	CHECK_INT(g.min_dialect, 0x0210);
	CHECK_INT(g.max_dialect, 0x0302);
	CHECK_INT(g.signing, SMB_SERVER_SIGNING_MANDATORY);
	CHECK_INT(g.encryption, SMB_SERVER_ENCRYPTION_REQUIRED);
	CHECK_INT(g.max_read, 1 << 20);
	CHECK_INT(g.max_write, 4 << 20);
	CHECK_INT(g.max_trans, 512 << 10);
	CHECK_INT(g.max_connections, 100);
	CHECK_INT(g.max_ip_connections, 8);
	CHECK_INT(g.max_open_files, 500);
	CHECK_INT(g.max_sessions, 50);
	CHECK_INT(g.max_credits, 512);
	CHECK_INT(g.deadtime, 15 * 60);
	CHECK_STR(g.guest_account, "ftp");
	CHECK_INT(g.flags, SMB_SERVER_GLOBAL_MAP_TO_GUEST);
	CHECK_INT(g.log_level, LOG_INFO);
	globals_clear(&g);

	CHECK_INT(load_globals("[global]\nserver min protocol = smb3\n"
			       "server max protocol = SMB3\n"
			       "server signing = disabled\n", &g, &err), 0);
	CHECK_INT(g.min_dialect, 0x0300);
	CHECK_INT(g.max_dialect, 0x0311);
	CHECK_INT(g.signing, SMB_SERVER_SIGNING_DISABLED);
	globals_clear(&g);

	/* Each spelling of "smb3 encryption" smb.conf and ksmbd-tools use. */
	{
		static const struct {
			const char *v;
			int want;
		} enc[] = {
			{ "off", SMB_SERVER_ENCRYPTION_OFF },
			{ "No", SMB_SERVER_ENCRYPTION_OFF },
			{ "disabled", SMB_SERVER_ENCRYPTION_OFF },
			{ "if_required", SMB_SERVER_ENCRYPTION_IF_REQUIRED },
			{ "auto", SMB_SERVER_ENCRYPTION_IF_REQUIRED },
			{ "yes", SMB_SERVER_ENCRYPTION_IF_REQUIRED },
			{ "desired", SMB_SERVER_ENCRYPTION_DESIRED },
			{ "required", SMB_SERVER_ENCRYPTION_REQUIRED },
			{ "mandatory", SMB_SERVER_ENCRYPTION_REQUIRED },
		};
		unsigned int i;
		char *text;

		for (i = 0; i < G_N_ELEMENTS(enc); i++) {
			text = g_strdup_printf("[global]\nserver smb encrypt = %s\n",
					       enc[i].v);
			CHECK_INT(load_globals(text, &g, &err), 0);
			CHECK_INT(g.encryption, enc[i].want);
			globals_clear(&g);
			g_free(text);
		}
	}

	CHECK_INT(load_globals("[global]\nserver min protocol = SMB2\n"
			       "server max protocol = SMB2\n", &g, &err), 0);
	CHECK_INT(g.min_dialect, 0x0202);
	CHECK_INT(g.max_dialect, 0x0210);
	globals_clear(&g);
}

static void globals_fail(const char *text, const char *message)
{
	struct smb_globals g;
	GError *err = NULL;

	CHECK_INT(load_globals(text, &g, &err), -EINVAL);
	CHECK(err);
	if (err) {
		CHECK_STR(err->message, message);
		g_error_free(err);
	}
}

static void test_globals_errors(void)
{
	globals_fail("[global]\nsmb3 encryption = sometimes\n",
		     "t.conf:2: invalid value 'sometimes' for 'smb3 encryption': expected off, if_required, desired or required");
	globals_fail("[global]\nserver min protocol = NT1\n",
		     "t.conf:2: invalid value 'NT1' for 'server min protocol': expected SMB2_02, SMB2_10, SMB3_00, SMB3_02, SMB3_11, SMB2 or SMB3");
	globals_fail("[global]\nserver min protocol = SMB3_11\n"
		     "server max protocol = SMB2_10\n",
		     "t.conf:1: server min protocol SMB3_11 is higher than server max protocol SMB2_10");
	globals_fail("[global]\nsmb2 max read = 1K\n",
		     "t.conf:2: invalid value '1K' for 'smb2 max read': expected a byte count of at least 64K (K and M suffixes allowed)");
	globals_fail("[global]\nsmb ports = 70000\n",
		     "t.conf:2: invalid value '70000' for 'smb ports': expected a TCP port number (1-65535)");
	globals_fail("[global]\nnetbios name = averyveryverylongname\n",
		     "t.conf:2: invalid value 'averyveryverylongname' for 'netbios name': expected a name of 1 to 15 characters");
	globals_fail("[global]\nmap to guest = bad password\n",
		     "t.conf:2: invalid value 'bad password' for 'map to guest': expected never or bad user");
	globals_fail("[global]\nsmb2 max credits = 8193\n",
		     "t.conf:2: invalid value '8193' for 'smb2 max credits': expected a number from 1 to 8192");
	globals_fail("[global]\nsmb2 max credits = 0\n",
		     "t.conf:2: invalid value '0' for 'smb2 max credits': expected a number from 1 to 8192");
	globals_fail("[global]\ndeadtime = 99999999999\n",
		     "t.conf:2: invalid value '99999999999' for 'deadtime': expected a number of minutes (0 to never disconnect)");
	globals_fail("[global]\nrestrict anonymous = 3\n",
		     "t.conf:2: invalid value '3' for 'restrict anonymous': expected 0, 1 or 2");
	globals_fail("[global]\nserver signing = sometimes\n",
		     "t.conf:2: invalid value 'sometimes' for 'server signing': expected disabled, auto or mandatory");
}

/* Unknown options and options in the wrong section are errors, all listed. */
static void test_unknown_keys(void)
{
	struct conf_file *conf;
	struct share_table *tbl;
	struct smb_globals g;
	GError *err = NULL;

	conf = parse("[global]\n"
		     "workgroup = X\n"
		     "frobnicate = yes\n"
		     "[s]\n"
		     "path = /\n"
		     "workgroup = Y\n"
		     "whatever = 1\n"
		     "hosts allw = 10.\n"
		     "smb2 leases = no\n");
	CHECK(conf);
	if (!conf)
		return;
	CHECK_INT(globals_load(conf, &g, &err), 0);
	CHECK_STR(g.workgroup, "X");
	tbl = shares_load(conf, &err);
	CHECK(!tbl);
	CHECK(err);
	if (err)
		CHECK_STR(err->message,
			  "t.conf:3: unknown option 'frobnicate'\n"
			  "t.conf:6: 'workgroup' is a [global] option, it cannot be set in [s]\n"
			  "t.conf:7: unknown option 'whatever'\n"
			  "t.conf:8: unknown option 'hosts allw'\n"
			  "t.conf:9: 'smb2 leases' is a [global] option, it cannot be set in [s]");
	g_clear_error(&err);
	shares_free(tbl);
	globals_clear(&g);
	conf_free(conf);
}

static void test_debug_classes(void)
{
	uint32_t d;

	CHECK(!parse_debug_classes("all", &d) && d == SMB_SERVER_DEBUG_MASK);
	CHECK(!parse_debug_classes("none", &d) && d == 0);
	CHECK(!parse_debug_classes("conn,auth", &d) &&
	      d == (SMB_SERVER_DEBUG_CONN | SMB_SERVER_DEBUG_AUTH));
	CHECK(!parse_debug_classes(" VFS , pdu,ipc ", &d) &&
	      d == (SMB_SERVER_DEBUG_VFS | SMB_SERVER_DEBUG_PDU |
		    SMB_SERVER_DEBUG_IPC));
	CHECK_INT(parse_debug_classes("conn,bogus", &d), -EINVAL);
	CHECK_INT(parse_debug_classes("", &d), -EINVAL);
	CHECK_INT(parse_debug_classes(",", &d), -EINVAL);
}

/* The shipped example must load, with no warning about an option. */
static void test_example(void)
{
	struct conf_file *conf;
	struct share_table *tbl;
	struct smb_globals g;
	GError *err = NULL;

	log_capture_start();
	conf = conf_parse_file("ksmbd.conf.example", &err);
	CHECK(conf);
	if (!conf) {
		g_error_free(err);
		return;
	}
	CHECK_INT(globals_load(conf, &g, &err), 0);
	tbl = shares_load(conf, &err);
	CHECK(tbl);
	CHECK(!log_captured("already set"));
	CHECK(!log_captured("has no effect"));
	CHECK(!log_captured("ignored"));
	CHECK(tbl && shares_find(tbl, "projects") && shares_find(tbl, "IPC$"));
	CHECK(tbl && tbl->homes);
	CHECK_INT(g.min_dialect, 0x0300);
	shares_free(tbl);
	globals_clear(&g);
	conf_free(conf);
}

void test_config(void)
{
	test_example();
	test_syntax();
	test_syntax_errors();
	test_values();
	test_globals_defaults();
	test_globals_keys();
	test_globals_errors();
	test_unknown_keys();
	test_debug_classes();
}
