// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Options of smb.conf and of ksmbd-tools that this server does not
 * implement.
 *
 * Each entry says which values describe what the kernel server does anyway
 * (those are taken, so existing files load) and why any other value is
 * refused. A few options that ksmbd-tools writes out with its defaults
 * (its example file is a dump of them) are taken at that default with a
 * warning that says what really happens, because they only name an
 * optimisation a server may always decline; every security option is
 * refused outright unless its value matches.
 *
 * The reasons are checked against fs/smb/server: keep them true when the
 * kernel learns a feature (then the option moves to a key table).
 */
#include <string.h>

#include "compat.h"
#include "config.h"
#include "util.h"

enum compat_scope {
	SCOPE_GLOBAL,		/* [global] only */
	SCOPE_SHARE,		/* a share, or [global] as a default */
};

struct compat_key {
	const char *norm;
	enum compat_scope scope;
	bool (*matches)(const char *v);		/* what the server does */
	bool (*no_effect)(const char *v);	/* taken with a warning */
	const char *why;			/* why others are refused */
	const char *effect;			/* the warning */
};

static bool is_no(const char *v)
{
	bool on;

	return !conf_parse_bool(v, &on) && !on;
}

static bool is_yes(const char *v)
{
	bool on;

	return !conf_parse_bool(v, &on) && on;
}

static bool is_empty(const char *v)
{
	return !*v;
}

static bool is_zero(const char *v)
{
	uint32_t n;

	return !conf_parse_u32(v, &n) && n == 0;
}

/*
 * FileFsAttributeInformation of every share: case-sensitive search,
 * case-preserved names, Unicode on disk, persistent ACLs, sparse files
 * (fs/smb/server/info_query.c). Faking more is not possible.
 */
#define SERVER_FS_CAPS	0x4fU

static bool is_reported_fscaps(const char *v)
{
	uint32_t n;

	return !conf_parse_u32(v, &n) && !(n & ~SERVER_FS_CAPS);
}

/* ksmbd-tools' default for the SMB Direct I/O size. */
static bool is_8m(const char *v)
{
	uint32_t n;

	return !conf_parse_size(v, &n) && n == 8U << 20;
}

#define NOT_YET	"not supported by this server yet: "
/* What "store dos attributes" would change, too long for its table line. */
#define STOREDOS_EFFECT \
	"has no effect yet: DOS attributes are not stored; read-only follows the write bits, hidden a leading dot (hide dot files), the others are dropped"

/* Only values @m accepts are taken. */
#define ONLY(n, sc, m, w) \
	{ .norm = (n), .scope = (sc), .matches = (m), .why = (w) }
/* Values @m accepts are taken, values @ne accepts with a warning. */
#define NO_EFFECT(n, sc, m, ne, w, e) \
	{ .norm = (n), .scope = (sc), .matches = (m), .no_effect = (ne), \
	  .why = (w), .effect = (e) }

static const struct compat_key compat_keys[] = {
	/* Security */
	ONLY("bindinterfacesonly", SCOPE_GLOBAL, is_no,
	     NOT_YET "the server listens on every address; limit it with a firewall"),
	ONLY("interfaces", SCOPE_GLOBAL, is_empty,
	     NOT_YET "the server listens on every address; limit it with a firewall"),
	ONLY("vetofiles", SCOPE_SHARE, is_empty,
	     NOT_YET "hiding and refusing names on a share"),
	ONLY("adminusers", SCOPE_SHARE, is_empty,
	     NOT_YET "users acting as root on a share"),
	ONLY("kerberoskeytabfile", SCOPE_GLOBAL, is_empty,
	     NOT_YET "Kerberos; clients log on with NTLMv2"),
	ONLY("kerberosservicename", SCOPE_GLOBAL, is_empty,
	     NOT_YET "Kerberos; clients log on with NTLMv2"),
	ONLY("rootdirectory", SCOPE_GLOBAL, is_empty,
	     NOT_YET "a common root; give every share its full path"),
	ONLY("followsymlinks", SCOPE_SHARE, is_yes, NOT_YET
	     "refusing symbolic links; links that stay inside the share are always followed"),
	ONLY("widelinks", SCOPE_SHARE, is_no,
	     NOT_YET "links leading out of the share; they are always refused"),
	ONLY("guestaccount", SCOPE_SHARE, is_empty,
	     NOT_YET "a guest account per share; set 'guest account' in [global]"),
	ONLY("inheritowner", SCOPE_SHARE, is_no, NOT_YET
	     "owners inherited from the directory; new files belong to the user (or force user)"),

	/* Protocol features the kernel does not implement */
	ONLY("servermultichannelsupport", SCOPE_GLOBAL, is_no,
	     NOT_YET "multichannel (a session on a second connection)"),
	ONLY("smb2leases", SCOPE_GLOBAL, is_no,
	     NOT_YET "leases (every open is granted none)"),
	ONLY("durablehandles", SCOPE_SHARE, is_no,
	     NOT_YET "durable handles (an open ends with its connection)"),
	ONLY("streams", SCOPE_SHARE, is_no,
	     NOT_YET "alternate data streams"),
	ONLY("acl", SCOPE_SHARE, is_no,
	     NOT_YET "stored Windows ACLs; access follows the Unix permissions"),
	ONLY("vfsobjects", SCOPE_SHARE, is_empty,
	     NOT_YET "VFS modules (acl_xattr, streams_xattr)"),
	ONLY("ipctimeout", SCOPE_GLOBAL, is_zero, NOT_YET
	     "dropping sessions when ksmbd.mountd is slow; only 0 (wait) describes the server"),
	ONLY("share:fakefscaps", SCOPE_GLOBAL, is_reported_fscaps,
	     NOT_YET "faking file system capabilities beyond the 0x4f every share reports"),

	/* ksmbd-tools defaults that name an optimisation, taken as no-ops */
	NO_EFFECT("oplocks", SCOPE_SHARE, is_no, is_yes,
		  "expected yes or no",
		  "has no effect yet: oplocks are never granted, every open gets none"),
	NO_EFFECT("storedosattributes", SCOPE_SHARE, is_no, is_yes,
		  "expected yes or no",
		  STOREDOS_EFFECT),
	NO_EFFECT("smbdmaxiosize", SCOPE_GLOBAL, NULL, is_8m,
		  NOT_YET "SMB Direct (RDMA); only ksmbd-tools' default 8MB is taken",
		  "has no effect: this server has no SMB Direct (RDMA) transport"),
};

static const struct compat_key *find_compat_key(const char *norm)
{
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(compat_keys); i++)
		if (!strcmp(compat_keys[i].norm, norm))
			return &compat_keys[i];
	return NULL;
}

bool compat_key_known(const char *norm, bool *global_only)
{
	const struct compat_key *k = find_compat_key(norm);

	if (k && global_only)
		*global_only = k->scope == SCOPE_GLOBAL;
	return k;
}

enum compat_verdict compat_check(const char *norm, const char *value,
				 bool global, const char **why)
{
	const struct compat_key *k = find_compat_key(norm);

	if (!k)
		return COMPAT_UNKNOWN;
	if (!global && k->scope == SCOPE_GLOBAL)
		return COMPAT_WRONG_SECTION;
	if (k->matches && k->matches(value))
		return COMPAT_OK;
	if (k->no_effect && k->no_effect(value)) {
		*why = k->effect;
		return COMPAT_NO_EFFECT;
	}
	*why = k->why;
	return COMPAT_REFUSED;
}
