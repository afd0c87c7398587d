// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Server-wide settings from the [global] section.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <linux/smb_server.h>

#include "globals.h"
#include "log.h"
#include "util.h"

struct global_key {
	const char *norm;	/* normalized key */
	int (*apply)(struct smb_globals *g, const char *v, const char **why);
};

static int set_netbios_name(struct smb_globals *g, const char *v,
			    const char **why)
{
	if (!*v || strlen(v) >= SMB_SERVER_NETBIOS_MAX || str_has_ctrl(v)) {
		*why = "a name of 1 to 15 characters";
		return -EINVAL;
	}
	g_free(g->netbios_name);
	g->netbios_name = g_ascii_strup(v, -1);
	return 0;
}

static int set_workgroup(struct smb_globals *g, const char *v,
			 const char **why)
{
	if (!*v || strlen(v) >= SMB_SERVER_NETBIOS_MAX || str_has_ctrl(v)) {
		*why = "a name of 1 to 15 characters";
		return -EINVAL;
	}
	g_free(g->workgroup);
	g->workgroup = g_ascii_strup(v, -1);
	return 0;
}

static int set_server_string(struct smb_globals *g, const char *v,
			     const char **why)
{
	if (strlen(v) >= SMB_SERVER_NAME_MAX || str_has_ctrl(v)) {
		*why = "at most 255 printable characters";
		return -EINVAL;
	}
	g_free(g->server_string);
	g->server_string = g_strdup(v);
	return 0;
}

static int set_guest_account(struct smb_globals *g, const char *v,
			     const char **why)
{
	if (!*v || strlen(v) >= SMB_SERVER_NAME_MAX || str_has_ctrl(v)) {
		*why = "a Unix user name";
		return -EINVAL;
	}
	g_free(g->guest_account);
	g->guest_account = g_strdup(v);
	return 0;
}

/* "smb ports" may list several ports; the kernel listens on the first. */
static int set_port(struct smb_globals *g, const char *v, const char **why)
{
	char **ports = conf_parse_list(v);
	uint32_t port;
	int ret = -EINVAL;

	*why = "a TCP port number (1-65535)";
	if (ports[0] && !conf_parse_u32(ports[0], &port) && port &&
	    port <= 65535) {
		if (ports[1])
			pr_warn("only the first port of '%s' is used", v);
		g->tcp_port = port;
		ret = 0;
	}
	g_strfreev(ports);
	return ret;
}

static const struct {
	const char *name;
	uint16_t min, max;
} dialects[] = {
	{ "SMB2_02", 0x0202, 0x0202 },
	{ "SMB2_10", 0x0210, 0x0210 },
	{ "SMB3_00", 0x0300, 0x0300 },
	{ "SMB3_02", 0x0302, 0x0302 },
	{ "SMB3_11", 0x0311, 0x0311 },
	{ "SMB2", 0x0202, 0x0210 },
	{ "SMB3", 0x0300, 0x0311 },
};

int parse_dialect(const char *v, bool is_max, uint16_t *out)
{
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(dialects); i++) {
		if (!g_ascii_strcasecmp(v, dialects[i].name)) {
			*out = is_max ? dialects[i].max : dialects[i].min;
			return 0;
		}
	}
	return -EINVAL;
}

const char *dialect_name(uint16_t dialect)
{
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(dialects); i++)
		if (dialects[i].min == dialect && dialects[i].max == dialect)
			return dialects[i].name;
	return "unknown";
}

#define DIALECT_WHY "SMB2_02, SMB2_10, SMB3_00, SMB3_02, SMB3_11, SMB2 or SMB3"

static int set_min_protocol(struct smb_globals *g, const char *v,
			    const char **why)
{
	*why = DIALECT_WHY;
	return parse_dialect(v, false, &g->min_dialect);
}

static int set_max_protocol(struct smb_globals *g, const char *v,
			    const char **why)
{
	*why = DIALECT_WHY;
	return parse_dialect(v, true, &g->max_dialect);
}

static bool word_in(const char *v, const char *const *words)
{
	for (; *words; words++)
		if (!g_ascii_strcasecmp(v, *words))
			return true;
	return false;
}

int parse_signing(const char *v, uint8_t *out)
{
	static const char *const off[] = { "disabled", "no", "off", "false",
					   NULL };
	static const char *const on[] = { "auto", "default", "if_required",
					  "yes", "on", "true", "enabled",
					  NULL };
	static const char *const must[] = { "mandatory", "required", "forced",
					    NULL };

	if (word_in(v, off))
		*out = SMB_SERVER_SIGNING_DISABLED;
	else if (word_in(v, on))
		*out = SMB_SERVER_SIGNING_AUTO;
	else if (word_in(v, must))
		*out = SMB_SERVER_SIGNING_MANDATORY;
	else
		return -EINVAL;
	return 0;
}

int parse_encryption(const char *v, uint8_t *out)
{
	static const char *const off[] = { "off", "disabled", "no", "false",
					   NULL };
	static const char *const offer[] = { "if_required", "default", "auto",
					     "yes", "on", "true", "enabled",
					     NULL };
	static const char *const desired[] = { "desired", NULL };
	static const char *const must[] = { "required", "mandatory", "forced",
					    "force", NULL };

	if (word_in(v, off))
		*out = SMB_SERVER_ENCRYPTION_OFF;
	else if (word_in(v, offer))
		*out = SMB_SERVER_ENCRYPTION_IF_REQUIRED;
	else if (word_in(v, desired))
		*out = SMB_SERVER_ENCRYPTION_DESIRED;
	else if (word_in(v, must))
		*out = SMB_SERVER_ENCRYPTION_REQUIRED;
	else
		return -EINVAL;
	return 0;
}

static int set_encryption(struct smb_globals *g, const char *v,
			  const char **why)
{
	*why = "off, if_required, desired or required";
	return parse_encryption(v, &g->encryption);
}

static int set_signing(struct smb_globals *g, const char *v, const char **why)
{
	*why = "disabled, auto or mandatory";
	return parse_signing(v, &g->signing);
}

static int set_size(uint32_t *dst, const char *v, const char **why)
{
	uint32_t n;

	*why = "a byte count of at least 64K (K and M suffixes allowed)";
	if (conf_parse_size(v, &n) || n < SMB_MIN_IO_SIZE)
		return -EINVAL;
	*dst = n;
	return 0;
}

static int set_max_read(struct smb_globals *g, const char *v, const char **why)
{
	return set_size(&g->max_read, v, why);
}

static int set_max_write(struct smb_globals *g, const char *v,
			 const char **why)
{
	return set_size(&g->max_write, v, why);
}

static int set_max_trans(struct smb_globals *g, const char *v,
			 const char **why)
{
	return set_size(&g->max_trans, v, why);
}

static int set_max_connections(struct smb_globals *g, const char *v,
			       const char **why)
{
	*why = "a number (0 for no limit)";
	return conf_parse_u32(v, &g->max_connections) ? -EINVAL : 0;
}

static int set_max_ip_connections(struct smb_globals *g, const char *v,
				  const char **why)
{
	*why = "a number (0 for no limit)";
	return conf_parse_u32(v, &g->max_ip_connections) ? -EINVAL : 0;
}

static int set_max_open_files(struct smb_globals *g, const char *v,
			      const char **why)
{
	*why = "a number (0 for no limit)";
	return conf_parse_u32(v, &g->max_open_files) ? -EINVAL : 0;
}

static int set_max_sessions(struct smb_globals *g, const char *v,
			    const char **why)
{
	*why = "a number (0 for no limit)";
	return conf_parse_u32(v, &g->max_sessions) ? -EINVAL : 0;
}

static int set_max_credits(struct smb_globals *g, const char *v,
			   const char **why)
{
	uint32_t n;

	*why = "a number from 1 to 8192";
	if (conf_parse_u32(v, &n) || n < 1 || n > SMB_MAX_CREDITS)
		return -EINVAL;
	g->max_credits = n;
	return 0;
}

/* smb.conf gives the dead time in minutes; the kernel wants seconds. */
static int set_deadtime(struct smb_globals *g, const char *v,
			const char **why)
{
	uint32_t minutes;

	*why = "a number of minutes (0 to never disconnect)";
	if (conf_parse_u32(v, &minutes) || minutes > G_MAXUINT32 / 60)
		return -EINVAL;
	g->deadtime = minutes * 60;
	return 0;
}

static int set_map_to_guest(struct smb_globals *g, const char *v,
			    const char **why)
{
	char *norm = conf_key_norm(v);
	int ret = 0;

	*why = "never or bad user";
	if (!strcmp(norm, "never"))
		g->flags &= ~SMB_SERVER_GLOBAL_MAP_TO_GUEST;
	else if (!strcmp(norm, "baduser"))
		g->flags |= SMB_SERVER_GLOBAL_MAP_TO_GUEST;
	else
		ret = -EINVAL;
	g_free(norm);
	return ret;
}

/*
 * 1 or 2: guest and anonymous sessions may not connect to IPC$ (shares
 * without "guest ok" refuse them anyway), as in ksmbd-tools.
 */
static int set_restrict_anonymous(struct smb_globals *g, const char *v,
				  const char **why)
{
	uint32_t n;

	*why = "0, 1 or 2";
	if (conf_parse_u32(v, &n) || n > 2)
		return -EINVAL;
	g->restrict_anonymous = n;
	return 0;
}

/* "log level = 2" or Samba's "log level = 2 auth:5": the first number. */
static int set_log_level(struct smb_globals *g, const char *v,
			 const char **why)
{
	char **words = conf_parse_list(v);
	uint32_t n;
	int ret = -EINVAL;

	*why = "a number (0 errors and warnings, 1 information, 2 or more debug)";
	if (words[0] && !conf_parse_u32(words[0], &n)) {
		g->log_level = n == 0 ? LOG_WARNING : n == 1 ? LOG_INFO :
							       LOG_DEBUG;
		ret = 0;
	}
	g_strfreev(words);
	return ret;
}

static const struct global_key global_keys[] = {
	{ "netbiosname", set_netbios_name },
	{ "workgroup", set_workgroup },
	{ "serverstring", set_server_string },
	{ "guestaccount", set_guest_account },
	{ "smbports", set_port },
	{ "tcpport", set_port },
	{ "serverminprotocol", set_min_protocol },
	{ "minprotocol", set_min_protocol },
	{ "servermaxprotocol", set_max_protocol },
	{ "maxprotocol", set_max_protocol },
	{ "protocol", set_max_protocol },
	{ "serversigning", set_signing },
	{ "serversmbencrypt", set_encryption },
	{ "smb3encryption", set_encryption },
	{ "smb2maxread", set_max_read },
	{ "smb2maxwrite", set_max_write },
	{ "smb2maxtrans", set_max_trans },
	{ "maxconnections", set_max_connections },
	{ "maxipconnections", set_max_ip_connections },
	{ "maxopenfiles", set_max_open_files },
	{ "maxactivesessions", set_max_sessions },
	{ "smb2maxcredits", set_max_credits },
	{ "deadtime", set_deadtime },
	{ "maptoguest", set_map_to_guest },
	{ "loglevel", set_log_level },
	{ "restrictanonymous", set_restrict_anonymous },
};

static const struct global_key *find_global_key(const char *norm)
{
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(global_keys); i++)
		if (!strcmp(global_keys[i].norm, norm))
			return &global_keys[i];
	return NULL;
}

bool globals_key_known(const char *norm_key)
{
	return find_global_key(norm_key);
}

static char *default_netbios_name(void)
{
	char host[256] = "";
	char *dot;

	if (gethostname(host, sizeof(host) - 1) || !*host)
		g_strlcpy(host, "KSMBD", sizeof(host));
	dot = strchr(host, '.');
	if (dot)
		*dot = '\0';
	host[SMB_SERVER_NETBIOS_MAX - 1] = '\0';
	return g_ascii_strup(host, -1);
}

static void globals_defaults(struct smb_globals *g)
{
	memset(g, 0, sizeof(*g));
	g->netbios_name = default_netbios_name();
	g->workgroup = g_strdup("WORKGROUP");
	g->server_string = g_strdup("SMB server");
	g->guest_account = g_strdup("nobody");
	g->tcp_port = SMB_DEFAULT_PORT;
	g->min_dialect = 0x0202;
	g->max_dialect = 0x0311;
	g->signing = SMB_SERVER_SIGNING_AUTO;
	g->encryption = SMB_SERVER_ENCRYPTION_IF_REQUIRED;
	g->max_read = SMB_DEFAULT_IO_SIZE;
	g->max_write = SMB_DEFAULT_IO_SIZE;
	g->max_trans = SMB_DEFAULT_IO_SIZE;
	g->max_connections = SMB_DEFAULT_MAX_CONNECTIONS;
	g->max_open_files = SMB_DEFAULT_MAX_OPEN_FILES;
	g->max_sessions = SMB_DEFAULT_MAX_SESSIONS;
	g->max_credits = SMB_MAX_CREDITS;
	g->log_level = -1;
}

void globals_clear(struct smb_globals *g)
{
	g_free(g->netbios_name);
	g_free(g->workgroup);
	g_free(g->server_string);
	g_free(g->guest_account);
	memset(g, 0, sizeof(*g));
}

/*
 * Apply the [global] section. Share options found there are defaults for
 * every share; they, the options this server does not implement and
 * unknown ones are judged by shares_load(). Every bad value is reported.
 */
int globals_load(const struct conf_file *conf, struct smb_globals *g,
		 GError **error)
{
	struct conf_section *sec = conf ? conf_find_section(conf, "global") :
					  NULL;
	const struct global_key *key;
	struct conf_param *prm;
	const char *why = "";
	unsigned int i, bad = 0;

	globals_defaults(g);
	for (i = 0; sec && i < sec->params->len; i++) {
		prm = sec->params->pdata[i];
		key = find_global_key(prm->norm);
		if (!key)
			continue;
		if (key->apply(g, prm->value, &why)) {
			conf_error_add(error, KSMBD_ERR_VALUE,
				       "%s:%u: invalid value '%s' for '%s': expected %s",
				       prm->file, prm->line, prm->value,
				       prm->key, why);
			bad++;
		}
	}
	if (!bad && g->min_dialect > g->max_dialect) {
		conf_error_add(error, KSMBD_ERR_VALUE,
			       "%s:%u: server min protocol %s is higher than server max protocol %s",
			       sec->file, sec->line,
			       dialect_name(g->min_dialect),
			       dialect_name(g->max_dialect));
		bad++;
	}
	if (bad) {
		globals_clear(g);
		return -EINVAL;
	}
	return 0;
}
