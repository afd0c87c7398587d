// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * "ksmbd.mountd --check": the configuration as the server will use it,
 * every option with its effective value, defaults included.
 */
#include <stdio.h>
#include <syslog.h>

#include <linux/smb_server.h>

#include "check.h"

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

/* Sizes in the largest unit that divides them, as they are written. */
static void put_size(FILE *f, const char *key, uint32_t n)
{
	if (n && !(n % (1U << 20)))
		fprintf(f, "\t%s = %uM\n", key, n >> 20);
	else if (n && !(n % 1024))
		fprintf(f, "\t%s = %uK\n", key, n >> 10);
	else
		fprintf(f, "\t%s = %u\n", key, n);
}

/* "key = value", or "key =" for an empty or unset one. */
static void put_str(FILE *f, const char *key, const char *v)
{
	fprintf(f, "\t%s =%s%s\n", key, v && *v ? " " : "", v ? v : "");
}

static void put_list(FILE *f, const char *key, char *const *list)
{
	fprintf(f, "\t%s =", key);
	for (; list && *list; list++)
		fprintf(f, " %s%s", *list, list[1] ? "," : "");
	fputc('\n', f);
}

static const char *const encryption_names[] = {
	[SMB_SERVER_ENCRYPTION_OFF] = "off",
	[SMB_SERVER_ENCRYPTION_IF_REQUIRED] = "if_required",
	[SMB_SERVER_ENCRYPTION_DESIRED] = "desired",
	[SMB_SERVER_ENCRYPTION_REQUIRED] = "required",
};

static const char *const signing_names[] = {
	[SMB_SERVER_SIGNING_DISABLED] = "disabled",
	[SMB_SERVER_SIGNING_AUTO] = "auto",
	[SMB_SERVER_SIGNING_MANDATORY] = "mandatory",
};

static void dump_globals(FILE *f, const struct smb_globals *g)
{
	fprintf(f, "[global]\n");
	put_str(f, "netbios name", g->netbios_name);
	put_str(f, "workgroup", g->workgroup);
	put_str(f, "server string", g->server_string);
	put_str(f, "guest account", g->guest_account);
	fprintf(f, "\tmap to guest = %s\n",
		g->flags & SMB_SERVER_GLOBAL_MAP_TO_GUEST ? "bad user" :
							   "never");
	fprintf(f, "\ttcp port = %u\n", g->tcp_port);
	fprintf(f, "\tserver min protocol = %s\n",
		dialect_name(g->min_dialect));
	fprintf(f, "\tserver max protocol = %s\n",
		dialect_name(g->max_dialect));
	fprintf(f, "\tserver signing = %s\n",
		g->signing < G_N_ELEMENTS(signing_names) ?
		signing_names[g->signing] : "?");
	put_size(f, "smb2 max read", g->max_read);
	put_size(f, "smb2 max write", g->max_write);
	put_size(f, "smb2 max trans", g->max_trans);
	fprintf(f, "\tmax connections = %u\n", g->max_connections);
	fprintf(f, "\tmax ip connections = %u\n", g->max_ip_connections);
	fprintf(f, "\tmax active sessions = %u\n", g->max_sessions);
	fprintf(f, "\tmax open files = %u\n", g->max_open_files);
	fprintf(f, "\tsmb2 max credits = %u\n", g->max_credits);
	fprintf(f, "\tdeadtime = %u\n", g->deadtime / 60);
	fprintf(f, "\trestrict anonymous = %u\n", g->restrict_anonymous);
	if (g->log_level >= 0)
		fprintf(f, "\tlog level = %d\n",
			g->log_level <= LOG_WARNING ? 0 :
			g->log_level == LOG_INFO ? 1 : 2);
	fprintf(f, "\tsmb3 encryption = %s\n",
		g->encryption < G_N_ELEMENTS(encryption_names) ?
		encryption_names[g->encryption] : "?");
	/* What the server does without an option for it. */
	fprintf(f, "\tserver multi channel support = no\n");
	fprintf(f, "\tsmb2 leases = no\n");
	fprintf(f, "\tbind interfaces only = no\n");
}

static void dump_share(FILE *f, const char *name, const struct share *sh)
{
	fprintf(f, "\n[%s]\n", name);
	if (sh->flags & SMB_SERVER_SHARE_PIPE) {
		put_str(f, "comment", sh->comment);
		fprintf(f, "\tguest ok = %s\n",
			yes_no(sh->flags & SMB_SERVER_SHARE_GUEST_OK));
		put_list(f, "hosts allow", sh->hosts_allow);
		put_list(f, "hosts deny", sh->hosts_deny);
		return;
	}
	put_str(f, "path", sh->path);
	put_str(f, "comment", sh->comment);
	fprintf(f, "\tavailable = %s\n", yes_no(sh->available));
	fprintf(f, "\tread only = %s\n",
		yes_no(sh->flags & SMB_SERVER_SHARE_READ_ONLY));
	fprintf(f, "\tbrowseable = %s\n",
		yes_no(sh->flags & SMB_SERVER_SHARE_BROWSEABLE));
	fprintf(f, "\tguest ok = %s\n",
		yes_no(sh->flags & SMB_SERVER_SHARE_GUEST_OK));
	fprintf(f, "\thide dot files = %s\n",
		yes_no(sh->flags & SMB_SERVER_SHARE_HIDE_DOT_FILES));
	put_list(f, "valid users", sh->valid_users);
	put_list(f, "invalid users", sh->invalid_users);
	put_list(f, "read list", sh->read_list);
	put_list(f, "write list", sh->write_list);
	put_list(f, "hosts allow", sh->hosts_allow);
	put_list(f, "hosts deny", sh->hosts_deny);
	fprintf(f, "\tcreate mask = %04o\n", sh->create_mask);
	fprintf(f, "\tdirectory mask = %04o\n", sh->dir_mask);
	fprintf(f, "\tforce create mode = %04o\n", sh->force_create_mode);
	fprintf(f, "\tforce directory mode = %04o\n", sh->force_dir_mode);
	put_str(f, "force user", sh->force_user);
	put_str(f, "force group", sh->force_group);
	fprintf(f, "\toplocks = no\n");
	fprintf(f, "\tstore dos attributes = no\n");
	fprintf(f, "\tsmb encrypt = %s\n",
		sh->flags & SMB_SERVER_SHARE_ENCRYPT ? "required" :
		sh->flags & SMB_SERVER_SHARE_ENCRYPT_DESIRED ? "desired" :
		"if_required");
}

void conf_dump(FILE *f, const struct smb_globals *g,
	       const struct share_table *tbl)
{
	const struct share *sh;
	unsigned int i;

	dump_globals(f, g);
	for (i = 0; i < tbl->list->len; i++) {
		sh = tbl->list->pdata[i];
		dump_share(f, sh->name, sh);
	}
	if (tbl->homes)
		dump_share(f, "homes", tbl->homes);
}
