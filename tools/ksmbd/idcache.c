// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unix accounts by name, cached.
 *
 * Every login and every tree connect needs the account's uid, gid and
 * groups. Asked of NSS each time, that costs a walk of /etc/passwd and
 * /etc/group and of every other source nsswitch.conf names (systemd's
 * user database, LDAP, ...): milliseconds per request, more than the rest
 * of the request put together. Answers are kept for a short while; a
 * reload of the configuration starts with an empty cache.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>

#include "idcache.h"

/* Unknown names are asked again sooner: an account may just be created. */
#define IDCACHE_NEGATIVE_TTL_US	(5 * G_USEC_PER_SEC)
/* Bound the table: names come from the network. */
#define IDCACHE_MAX_ENTRIES	4096

struct id_entry {
	int err;			/* 0, or -ENOENT */
	struct unix_ident id;
	gint64 expires;
};

struct id_cache {
	GHashTable *map;		/* name -> struct id_entry */
	gint64 ttl_us;
	int (*resolve)(const char *name, struct unix_ident *id);
	int64_t (*clock)(void);
};

void unix_ident_clear(struct unix_ident *id)
{
	g_free(id->name);
	g_free(id->groups);
	memset(id, 0, sizeof(*id));
}

int unix_ident_resolve(const char *name, struct unix_ident *id)
{
	struct passwd *pw = getpwnam(name);
	int n = 64, i, ret;
	gid_t *all;

	memset(id, 0, sizeof(*id));
	if (!pw)
		return -ENOENT;
	id->name = g_strdup(pw->pw_name);
	id->uid = pw->pw_uid;
	id->gid = pw->pw_gid;

	all = g_new(gid_t, n);
	ret = getgrouplist(id->name, id->gid, all, &n);
	if (ret < 0) {
		all = g_renew(gid_t, all, n);
		ret = getgrouplist(id->name, id->gid, all, &n);
	}
	if (ret < 0)
		n = 0;
	id->groups = g_new(gid_t, n ? n : 1);
	for (i = 0; i < n; i++)
		if (all[i] != id->gid)
			id->groups[id->ngroups++] = all[i];
	g_free(all);
	return 0;
}

static void unix_ident_copy(struct unix_ident *to,
			    const struct unix_ident *from)
{
	*to = *from;
	to->name = g_strdup(from->name);
	to->groups = g_memdup2(from->groups, sizeof(gid_t) *
			       (from->ngroups ? from->ngroups : 1));
}

static void id_entry_free(gpointer p)
{
	struct id_entry *e = p;

	unix_ident_clear(&e->id);
	g_free(e);
}

struct id_cache *idcache_new(unsigned int ttl_sec,
			     int (*resolve)(const char *name,
					    struct unix_ident *id),
			     int64_t (*clock)(void))
{
	struct id_cache *c = g_new0(struct id_cache, 1);

	c->map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
				       id_entry_free);
	c->ttl_us = (gint64)ttl_sec * G_USEC_PER_SEC;
	c->resolve = resolve ? resolve : unix_ident_resolve;
	c->clock = clock ? clock : g_get_monotonic_time;
	return c;
}

void idcache_free(struct id_cache *c)
{
	if (!c)
		return;
	g_hash_table_destroy(c->map);
	g_free(c);
}

int idcache_lookup(struct id_cache *c, const char *name,
		   struct unix_ident *id)
{
	struct id_entry *e;
	gint64 now;

	if (!c || !c->ttl_us)
		return (c ? c->resolve : unix_ident_resolve)(name, id);
	now = c->clock();
	e = g_hash_table_lookup(c->map, name);
	if (!e || now >= e->expires) {
		if (!e && g_hash_table_size(c->map) >= IDCACHE_MAX_ENTRIES)
			g_hash_table_remove_all(c->map);
		e = g_new0(struct id_entry, 1);
		e->err = c->resolve(name, &e->id);
		e->expires = now + (e->err ? MIN(c->ttl_us,
						 IDCACHE_NEGATIVE_TTL_US) :
					     c->ttl_us);
		g_hash_table_replace(c->map, g_strdup(name), e);
	}
	memset(id, 0, sizeof(*id));
	if (e->err)
		return e->err;
	unix_ident_copy(id, &e->id);
	return 0;
}
