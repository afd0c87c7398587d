// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the account cache: answers kept for their time and no longer,
 * unknown names asked again sooner, copies independent of the cache.
 */
#include <errno.h>

#include "../idcache.h"
#include "tests.h"

static unsigned int resolved;
static gint64 now_us;

static gint64 fake_clock(void)
{
	return now_us;
}

/* "alice" is uid 1000, gid 100, in groups 5 and 7; nobody else exists. */
static int fake_resolve(const char *name, struct unix_ident *id)
{
	resolved++;
	memset(id, 0, sizeof(*id));
	if (strcmp(name, "alice") && strncmp(name, "user", 4))
		return -ENOENT;
	id->name = g_strdup(name);
	id->uid = 1000;
	id->gid = 100;
	id->groups = g_new(gid_t, 2);
	id->groups[0] = 5;
	id->groups[1] = 7;
	id->ngroups = 2;
	return 0;
}

static void check_alice(const struct unix_ident *id)
{
	CHECK_STR(id->name, "alice");
	CHECK_INT(id->uid, 1000);
	CHECK_INT(id->gid, 100);
	CHECK_INT(id->ngroups, 2);
	CHECK(id->ngroups == 2 && id->groups[0] == 5 && id->groups[1] == 7);
}

static void test_kept_for_ttl(void)
{
	struct id_cache *c = idcache_new(30, fake_resolve, fake_clock);
	struct unix_ident id;

	resolved = 0;
	now_us = 1000;
	CHECK_INT(idcache_lookup(c, "alice", &id), 0);
	check_alice(&id);
	/* The copy is the caller's: changing it leaves the cache alone. */
	id.groups[0] = 99;
	unix_ident_clear(&id);
	now_us += 29 * G_USEC_PER_SEC;
	CHECK_INT(idcache_lookup(c, "alice", &id), 0);
	check_alice(&id);
	unix_ident_clear(&id);
	CHECK_INT(resolved, 1);
	/* Expired: asked again. */
	now_us += G_USEC_PER_SEC;
	CHECK_INT(idcache_lookup(c, "alice", &id), 0);
	check_alice(&id);
	unix_ident_clear(&id);
	CHECK_INT(resolved, 2);
	idcache_free(c);
}

static void test_unknown_sooner(void)
{
	struct id_cache *c = idcache_new(30, fake_resolve, fake_clock);
	struct unix_ident id;

	resolved = 0;
	now_us = 0;
	CHECK_INT(idcache_lookup(c, "mallory", &id), -ENOENT);
	CHECK(!id.name && !id.groups && !id.ngroups);
	now_us += 4 * G_USEC_PER_SEC;
	CHECK_INT(idcache_lookup(c, "mallory", &id), -ENOENT);
	CHECK_INT(resolved, 1);
	now_us += G_USEC_PER_SEC;
	CHECK_INT(idcache_lookup(c, "mallory", &id), -ENOENT);
	CHECK_INT(resolved, 2);
	idcache_free(c);
}

static void test_no_cache(void)
{
	struct id_cache *c = idcache_new(0, fake_resolve, fake_clock);
	struct unix_ident id;
	int i;

	resolved = 0;
	for (i = 0; i < 3; i++) {
		CHECK_INT(idcache_lookup(c, "alice", &id), 0);
		check_alice(&id);
		unix_ident_clear(&id);
	}
	CHECK_INT(resolved, 3);
	idcache_free(c);
	/* Without a cache: the system's own database. */
	CHECK_INT(idcache_lookup(NULL, "root", &id), 0);
	CHECK_STR(id.name, "root");
	CHECK_INT(id.uid, 0);
	unix_ident_clear(&id);
	CHECK_INT(idcache_lookup(NULL, "zz-no-such-account", &id), -ENOENT);
	idcache_free(NULL);
}

static void test_bounded(void)
{
	struct id_cache *c = idcache_new(30, fake_resolve, fake_clock);
	struct unix_ident id;
	char name[32];
	int i, bad = 0;

	resolved = 0;
	now_us = 0;
	/* More names than the table keeps: it starts over, answers stay right. */
	for (i = 0; i < 10000; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		if (idcache_lookup(c, name, &id) || strcmp(id.name, name))
			bad++;
		unix_ident_clear(&id);
	}
	CHECK_INT(bad, 0);
	CHECK_INT(resolved, 10000);
	/* The last names are still cached. */
	CHECK_INT(idcache_lookup(c, "user9999", &id), 0);
	unix_ident_clear(&id);
	CHECK_INT(resolved, 10000);
	idcache_free(c);
}

void test_idcache(void)
{
	test_kept_for_ttl();
	test_unknown_sooner();
	test_no_cache();
	test_bounded();
}
