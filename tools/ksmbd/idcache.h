/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unix accounts (uid, gid, supplementary groups) by name, cached.
 */
#ifndef KSMBD_IDCACHE_H
#define KSMBD_IDCACHE_H

#include <stdint.h>
#include <sys/types.h>

#include <glib.h>

/* A Unix account with its groups, as the kernel needs it. */
struct unix_ident {
	char *name;
	uid_t uid;
	gid_t gid;
	gid_t *groups;		/* supplementary, not the primary */
	int ngroups;
};

void unix_ident_clear(struct unix_ident *id);

/* Look @name up in the system's user database (NSS): 0 or -ENOENT. */
int unix_ident_resolve(const char *name, struct unix_ident *id);

struct id_cache;

/*
 * A cache of look-ups: an answer is kept for @ttl_sec seconds (an unknown
 * name for at most 5), so that a burst of logins and tree connects does
 * not ask NSS (files, LDAP, ...) every time. @resolve and @clock (in
 * microseconds) default to unix_ident_resolve() and the monotonic clock
 * when NULL; the tests pass their own.
 */
struct id_cache *idcache_new(unsigned int ttl_sec,
			     int (*resolve)(const char *name,
					    struct unix_ident *id),
			     int64_t (*clock)(void));
void idcache_free(struct id_cache *c);

/*
 * Look @name up through @c (or straight from NSS if @c is NULL). Fills
 * @id with a copy the caller clears. Returns 0 or -ENOENT.
 */
int idcache_lookup(struct id_cache *c, const char *name,
		   struct unix_ident *id);

#endif
