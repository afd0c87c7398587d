// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the order of teardown (teardown.c).
 *
 * A session ends its opens while its trees are still published, then its
 * trees; a tree ends only its own opens; whatever waits on an open is told
 * exactly once, however many paths try to end it; and a session is ended
 * once even when LOGOFF and a disconnect both try.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include "../connection.h"
#include "../file.h"
#include "../session.h"
#include "../teardown.h"
#include "../tree.h"

#define TD_TREES	2
#define TD_OPENS	3	/* per tree */

/* A waiter on one open that records what it saw when told of the close. */
struct td_wait {
	struct smbs_file_wait fw;
	struct smbs_session *sess;
	struct smbs_tree *tree;
	int calls;
	bool tree_published;	/* its tree still in the table at the call */
};

static void td_wait_closed(struct smbs_file_wait *fw)
{
	struct td_wait *tw = container_of(fw, struct td_wait, fw);
	struct smbs_tree *found = smbs_tree_lookup(tw->sess, tw->tree->id);

	tw->calls++;
	tw->tree_published = found;
	if (found)
		smbs_tree_put(found);
}

struct td_setup {
	struct smbs_session *sess;
	struct smbs_tree *trees[TD_TREES];
	struct smbs_file *fps[TD_TREES][TD_OPENS];
	struct td_wait waits[TD_TREES][TD_OPENS];
};

static struct smbs_tree *td_tree(struct kunit *test, struct smbs_session *sess)
{
	struct smbs_tree *tree = kzalloc(sizeof(*tree), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tree);
	kref_init(&tree->ref);
	tree->name = kstrdup("kunit", GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tree->name);
	KUNIT_ASSERT_EQ(test, smbs_tree_reserve(sess, tree), 0);
	KUNIT_ASSERT_EQ(test, smbs_tree_publish(sess, tree), 0);
	return tree;
}

/* A session with TD_TREES trees of TD_OPENS opens (pipes), each waited on. */
static void td_build(struct kunit *test, struct td_setup *s)
{
	int t, i;

	s->sess = smbs_session_alloc(NULL);
	KUNIT_ASSERT_NOT_NULL(test, s->sess);
	for (t = 0; t < TD_TREES; t++) {
		s->trees[t] = td_tree(test, s->sess);
		for (i = 0; i < TD_OPENS; i++) {
			struct smbs_file *fp = smbs_file_alloc(s->trees[t],
							       "kunit");
			struct td_wait *tw = &s->waits[t][i];

			KUNIT_ASSERT_NOT_NULL(test, fp);
			KUNIT_ASSERT_EQ(test, smbs_file_publish(s->sess, fp),
					0);
			tw->sess = s->sess;
			tw->tree = s->trees[t];
			tw->fw.closed = td_wait_closed;
			mutex_lock(&fp->lock);
			list_add_tail(&tw->fw.node, &fp->waits);
			mutex_unlock(&fp->lock);
			s->fps[t][i] = fp;
		}
	}
}

static void td_release(struct td_setup *s)
{
	int t, i;

	for (t = 0; t < TD_TREES; t++) {
		for (i = 0; i < TD_OPENS; i++) {
			struct smbs_file *fp = s->fps[t][i];

			mutex_lock(&fp->lock);
			list_del(&s->waits[t][i].fw.node);
			mutex_unlock(&fp->lock);
			smbs_file_put(fp);
		}
		smbs_tree_put(s->trees[t]);
	}
	smbs_session_put(s->sess);
}

static bool td_may_add(struct smbs_session *sess, struct xarray *xa)
{
	bool may;

	xa_lock(xa);
	may = smbs_session_may_add(sess, xa);
	xa_unlock(xa);
	return may;
}

static void td_session_opens_before_trees(struct kunit *test)
{
	struct td_setup *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	int t, i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	td_build(test, s);
	smbs_session_close_objects(s->sess);

	KUNIT_EXPECT_TRUE(test, xa_empty(&s->sess->files));
	KUNIT_EXPECT_TRUE(test, xa_empty(&s->sess->trees));
	for (t = 0; t < TD_TREES; t++) {
		KUNIT_EXPECT_TRUE(test, s->trees[t]->gone);
		/* Only ours is left: the table's and the opens' went. */
		KUNIT_EXPECT_EQ(test, kref_read(&s->trees[t]->ref),
				1 + TD_OPENS);
		for (i = 0; i < TD_OPENS; i++) {
			KUNIT_EXPECT_EQ(test, s->waits[t][i].calls, 1);
			KUNIT_EXPECT_TRUE(test, s->waits[t][i].tree_published);
			KUNIT_EXPECT_TRUE(test, s->fps[t][i]->closed);
			KUNIT_EXPECT_EQ(test, kref_read(&s->fps[t][i]->ref), 1);
		}
	}
	/* A second teardown finds nothing to do. */
	smbs_session_close_objects(s->sess);
	KUNIT_EXPECT_EQ(test, s->waits[0][0].calls, 1);
	/* Nothing can be added once the tables are closed. */
	KUNIT_EXPECT_FALSE(test, td_may_add(s->sess, &s->sess->files));
	KUNIT_EXPECT_FALSE(test, td_may_add(s->sess, &s->sess->trees));
	td_release(s);
}

static void td_tree_ends_its_own_opens(struct kunit *test)
{
	struct td_setup *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct smbs_tree *found;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	td_build(test, s);
	smbs_tree_destroy(s->sess, s->trees[0]);
	smbs_tree_destroy(s->sess, s->trees[0]);	/* a second time */

	KUNIT_EXPECT_TRUE(test, s->trees[0]->gone);
	KUNIT_EXPECT_NULL(test, smbs_tree_lookup(s->sess, s->trees[0]->id));
	found = smbs_tree_lookup(s->sess, s->trees[1]->id);
	KUNIT_EXPECT_PTR_EQ(test, found, s->trees[1]);
	if (found)
		smbs_tree_put(found);
	for (i = 0; i < TD_OPENS; i++) {
		/* The tree went out of the table before its opens closed. */
		KUNIT_EXPECT_EQ(test, s->waits[0][i].calls, 1);
		KUNIT_EXPECT_FALSE(test, s->waits[0][i].tree_published);
		KUNIT_EXPECT_TRUE(test, s->fps[0][i]->closed);
		KUNIT_EXPECT_EQ(test, s->waits[1][i].calls, 0);
		KUNIT_EXPECT_FALSE(test, s->fps[1][i]->closed);
	}
	KUNIT_EXPECT_EQ(test, s->sess->nr_trees, 1U);
	KUNIT_EXPECT_EQ(test, s->sess->nr_files, (unsigned int)TD_OPENS);

	smbs_session_close_objects(s->sess);
	for (i = 0; i < TD_OPENS; i++) {
		KUNIT_EXPECT_EQ(test, s->waits[0][i].calls, 1);
		KUNIT_EXPECT_EQ(test, s->waits[1][i].calls, 1);
	}
	td_release(s);
}

/* LOGOFF and a disconnect both end the session: it ends once. */
static void td_session_destroy_once(struct kunit *test)
{
	struct smbs_conn *conn = kunit_kzalloc(test, sizeof(*conn),
					       GFP_KERNEL);
	struct td_setup *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	int t, i;

	KUNIT_ASSERT_NOT_NULL(test, conn);
	KUNIT_ASSERT_NOT_NULL(test, s);
	xa_init(&conn->sessions);
	td_build(test, s);
	/* The table's reference is the one td_build() got at the alloc. */
	KUNIT_ASSERT_EQ(test, xa_insert(&conn->sessions, s->sess->id, s->sess,
					GFP_KERNEL), 0);
	smbs_session_get(s->sess);	/* ours, dropped by td_release() */

	smbs_session_destroy(conn, s->sess);
	smbs_session_destroy(conn, s->sess);
	KUNIT_EXPECT_TRUE(test, xa_empty(&conn->sessions));
	KUNIT_EXPECT_EQ(test, READ_ONCE(s->sess->state), SMBS_SESS_EXPIRED);
	KUNIT_EXPECT_EQ(test, kref_read(&s->sess->ref), 1);
	for (t = 0; t < TD_TREES; t++)
		for (i = 0; i < TD_OPENS; i++)
			KUNIT_EXPECT_EQ(test, s->waits[t][i].calls, 1);
	td_release(s);
	xa_destroy(&conn->sessions);
}

static struct kunit_case td_cases[] = {
	KUNIT_CASE(td_session_opens_before_trees),
	KUNIT_CASE(td_tree_ends_its_own_opens),
	KUNIT_CASE(td_session_destroy_once),
	{}
};

static struct kunit_suite td_suite = {
	.name = "smbs_teardown",
	.test_cases = td_cases,
};

kunit_test_suite(td_suite);
