// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for a session's tree table and its teardown.
 *
 * Teardown (smbs_session_close_objects()) must take every tree out exactly
 * once while look-ups run, and a tree connect that finishes after teardown
 * started must not add its tree: nothing would ever disconnect it.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include "../session.h"
#include "../teardown.h"
#include "../tree.h"

#define SESS_TEST_TREES		64
#define SESS_TEST_WAIT		(5 * HZ)

static struct smbs_session *sess_test_session(struct kunit *test)
{
	struct smbs_session *sess = smbs_session_alloc(NULL);

	KUNIT_ASSERT_NOT_NULL(test, sess);
	return sess;
}

/* A tree as TREE_CONNECT makes it, with the caller's reference. */
static struct smbs_tree *sess_test_tree(void)
{
	struct smbs_tree *tree = kzalloc(sizeof(*tree), GFP_KERNEL);

	if (!tree)
		return NULL;
	kref_init(&tree->ref);
	tree->name = kstrdup("kunit", GFP_KERNEL);
	if (!tree->name) {
		kfree(tree);
		return NULL;
	}
	return tree;
}

static struct smbs_tree *sess_test_connect(struct kunit *test,
					   struct smbs_session *sess)
{
	struct smbs_tree *tree = sess_test_tree();

	KUNIT_ASSERT_NOT_NULL(test, tree);
	KUNIT_ASSERT_EQ(test, smbs_tree_reserve(sess, tree), 0);
	KUNIT_ASSERT_EQ(test, smbs_tree_publish(sess, tree), 0);
	return tree;
}

/* Wait for @cnt to reach @min; false after SESS_TEST_WAIT. */
static bool sess_test_wait(atomic_t *cnt, int min)
{
	unsigned long end = jiffies + SESS_TEST_WAIT;

	while (atomic_read(cnt) < min) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(1000, 2000);
	}
	return true;
}

static void sess_tree_publish_lookup(struct kunit *test)
{
	struct smbs_session *sess = sess_test_session(test);
	struct smbs_tree *tree = sess_test_connect(test, sess);
	struct smbs_tree *found;

	found = smbs_tree_lookup(sess, tree->id);
	KUNIT_EXPECT_PTR_EQ(test, found, tree);
	if (found)
		smbs_tree_put(found);
	/* The table's reference and ours. */
	KUNIT_EXPECT_EQ(test, kref_read(&tree->ref), 2);

	smbs_session_close_objects(sess);
	KUNIT_EXPECT_TRUE(test, xa_empty(&sess->trees));
	KUNIT_EXPECT_TRUE(test, tree->gone);
	KUNIT_EXPECT_NULL(test, smbs_tree_lookup(sess, tree->id));
	KUNIT_EXPECT_EQ(test, kref_read(&tree->ref), 1);
	smbs_tree_put(tree);
	smbs_session_put(sess);
}

/* TREE_CONNECT reserved its id, asked the daemon, and LOGOFF came first. */
static void sess_tree_publish_after_teardown(struct kunit *test)
{
	struct smbs_session *sess = sess_test_session(test);
	struct smbs_tree *tree = sess_test_tree();

	KUNIT_ASSERT_NOT_NULL(test, tree);
	KUNIT_ASSERT_EQ(test, smbs_tree_reserve(sess, tree), 0);
	smbs_session_close_objects(sess);
	KUNIT_EXPECT_EQ(test, smbs_tree_publish(sess, tree), -ENOENT);
	KUNIT_EXPECT_TRUE(test, xa_empty(&sess->trees));
	KUNIT_EXPECT_NULL(test, smbs_tree_lookup(sess, tree->id));
	KUNIT_EXPECT_EQ(test, kref_read(&tree->ref), 1);
	smbs_tree_put(tree);
	smbs_session_put(sess);
}

struct sess_race {
	struct smbs_session *sess;
	atomic_t found;
	atomic_t published;
	atomic_t refused;
	bool enomem;
};

static int sess_race_lookup(void *arg)
{
	struct sess_race *r = arg;
	struct smbs_tree *tree;
	u32 id;

	while (!kthread_should_stop()) {
		for (id = 1; id <= SESS_TEST_TREES * 2; id++) {
			tree = smbs_tree_lookup(r->sess, id);
			if (!tree)
				continue;
			atomic_inc(&r->found);
			smbs_tree_put(tree);
		}
		cond_resched();
	}
	return 0;
}

/* TREE_CONNECTs one after the other, dropping their reference as it does. */
static int sess_race_publish(void *arg)
{
	struct sess_race *r = arg;
	struct smbs_tree *tree;
	int err;

	while (!kthread_should_stop()) {
		tree = sess_test_tree();
		err = tree ? smbs_tree_reserve(r->sess, tree) : -ENOMEM;
		if (err) {
			/* A session full of trees waits for the teardown. */
			if (err != -EMFILE)
				r->enomem = true;
			if (tree)
				smbs_tree_put(tree);
			usleep_range(1000, 2000);
			continue;
		}
		if (smbs_tree_publish(r->sess, tree))
			atomic_inc(&r->refused);
		else
			atomic_inc(&r->published);
		smbs_tree_put(tree);
		cond_resched();
	}
	return 0;
}

static void sess_tree_teardown_race(struct kunit *test)
{
	struct smbs_session *sess = sess_test_session(test);
	struct task_struct *lookup, *publish;
	struct smbs_tree **trees;
	struct sess_race *r;
	int i;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	trees = kunit_kcalloc(test, SESS_TEST_TREES, sizeof(*trees),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, trees);
	r->sess = sess;
	for (i = 0; i < SESS_TEST_TREES; i++)
		trees[i] = sess_test_connect(test, sess);

	lookup = kthread_run(sess_race_lookup, r, "smbs-kunit-lookup");
	KUNIT_ASSERT_FALSE(test, IS_ERR(lookup));
	publish = kthread_run(sess_race_publish, r, "smbs-kunit-tcon");
	if (IS_ERR(publish)) {
		kthread_stop(lookup);
		KUNIT_FAIL(test, "no publisher thread");
		return;
	}
	/* Both run before teardown starts, and go on while it runs. */
	KUNIT_EXPECT_TRUE(test, sess_test_wait(&r->found, 1));
	KUNIT_EXPECT_TRUE(test, sess_test_wait(&r->published, 1));
	smbs_session_close_objects(sess);
	/* Tree connects finished after the table closed. */
	KUNIT_EXPECT_TRUE(test, sess_test_wait(&r->refused, 1));
	kthread_stop(publish);
	kthread_stop(lookup);

	KUNIT_EXPECT_FALSE(test, r->enomem);
	/* Nothing published after teardown started stayed behind. */
	KUNIT_EXPECT_TRUE(test, xa_empty(&sess->trees));
	for (i = 0; i < SESS_TEST_TREES; i++) {
		/* Disconnected once: only our reference is left. */
		KUNIT_EXPECT_TRUE(test, trees[i]->gone);
		KUNIT_EXPECT_EQ(test, kref_read(&trees[i]->ref), 1);
		smbs_tree_put(trees[i]);
	}
	kunit_info(test, "%d found, %d published, %d refused\n",
		   atomic_read(&r->found), atomic_read(&r->published),
		   atomic_read(&r->refused));
	smbs_session_put(sess);
}

static struct kunit_case smbs_session_cases[] = {
	KUNIT_CASE(sess_tree_publish_lookup),
	KUNIT_CASE(sess_tree_publish_after_teardown),
	KUNIT_CASE(sess_tree_teardown_race),
	{}
};

static struct kunit_suite smbs_session_suite = {
	.name = "smbs_session",
	.test_cases = smbs_session_cases,
};

kunit_test_suite(smbs_session_suite);
