// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tree connect objects: a session's table of them (reserve, publish,
 * look up, unpublish). TREE_CONNECT and TREE_DISCONNECT are in
 * tree_connect.c, the end of a tree (its files closed first) in
 * teardown.c.
 */
#include "server.h"

#include <linux/cred.h>
#include <linux/path.h>
#include <linux/slab.h>
#include "session.h"
#include "tree.h"

static void smbs_tree_release(struct kref *ref)
{
	struct smbs_tree *tree = container_of(ref, struct smbs_tree, ref);

	if (tree->root.mnt)
		path_put(&tree->root);
	if (tree->cred)
		put_cred(tree->cred);
	kfree(tree->name);
	kfree(tree);
}

void smbs_tree_put(struct smbs_tree *tree)
{
	kref_put(&tree->ref, smbs_tree_release);
}

struct smbs_tree *smbs_tree_lookup(struct smbs_session *sess, u32 id)
{
	struct smbs_tree *tree;

	xa_lock(&sess->trees);
	tree = xa_load(&sess->trees, id);
	if (tree && (READ_ONCE(tree->gone) || !kref_get_unless_zero(&tree->ref)))
		tree = NULL;
	xa_unlock(&sess->trees);
	return tree;
}

/**
 * smbs_tree_unpublish - take a tree out of its session's table
 * @sess: the session
 * @tree: the tree; NULL for whichever published tree comes first
 *
 * Marks the tree gone, so look-ups that raced with this fail from now on.
 * Only one caller gets a given tree: the one who ends it (teardown.c).
 * Reserved ids hold no entry and are skipped.
 *
 * Context: takes xa_lock(&@sess->trees); does not sleep.
 * Return: the tree with the table's reference, now the caller's, or NULL
 * when it was not (or no longer) in the table.
 */
struct smbs_tree *smbs_tree_unpublish(struct smbs_session *sess,
				      struct smbs_tree *tree)
{
	unsigned long id = 0;
	void *old = NULL;

	xa_lock(&sess->trees);
	if (tree) {
		old = __xa_cmpxchg(&sess->trees, tree->id, tree, NULL, 0);
		if (old != tree)
			old = NULL;
	} else {
		old = xa_find(&sess->trees, &id, ULONG_MAX, XA_PRESENT);
		if (old)
			__xa_erase(&sess->trees, id);
	}
	if (old)
		sess->nr_trees--;
	xa_unlock(&sess->trees);
	tree = old;
	if (tree)
		WRITE_ONCE(tree->gone, true);
	return tree;
}

/**
 * smbs_tree_reserve - reserve a TreeId for a tree being connected
 * @sess: the session
 * @tree: the tree; gets its id
 *
 * The reserved index holds no entry: look-ups do not find it and
 * smbs_tree_unpublish() skips it. smbs_tree_publish() fills it in or
 * drops it.
 *
 * Context: may sleep (GFP_KERNEL id allocation); takes
 * xa_lock(&@sess->trees).
 * Return: 0, -EMFILE when the session has SMBS_SESS_MAX_TREES trees
 * (reserved ones included), or another negative errno.
 */
int smbs_tree_reserve(struct smbs_session *sess, struct smbs_tree *tree)
{
	u32 id;
	int err;

	xa_lock(&sess->trees);
	if (sess->nr_trees >= SMBS_SESS_MAX_TREES)
		err = -EMFILE;
	else
		err = __xa_alloc(&sess->trees, &id, NULL,
				 XA_LIMIT(1, U32_MAX - 1), GFP_KERNEL);
	if (!err) {
		tree->id = id;
		sess->nr_trees++;
	}
	xa_unlock(&sess->trees);
	return err;
}

/* Give back a reservation that was never published. */
static void __smbs_tree_unreserve(struct smbs_session *sess,
				  struct smbs_tree *tree)
{
	lockdep_assert_held(&sess->trees.xa_lock);
	__xa_erase(&sess->trees, tree->id);
	sess->nr_trees--;
}

/**
 * smbs_tree_unreserve - give back the id of a tree that was not published
 * @sess: the session
 * @tree: the tree smbs_tree_reserve() gave an id
 *
 * Context: takes xa_lock(&@sess->trees); does not sleep.
 */
void smbs_tree_unreserve(struct smbs_session *sess, struct smbs_tree *tree)
{
	xa_lock(&sess->trees);
	__smbs_tree_unreserve(sess, tree);
	xa_unlock(&sess->trees);
}

/**
 * smbs_tree_publish - make a reserved tree visible, or drop the reservation
 * @sess: the session
 * @tree: the tree smbs_tree_reserve() gave an id
 *
 * On success the table takes its own reference; the caller keeps its own.
 * Once the session's teardown closed the table, the reservation is dropped
 * instead, so no tree outlives its session's teardown.
 *
 * Context: takes xa_lock(&@sess->trees); does not sleep.
 * Return: 0, or -ENOENT if the session is being torn down.
 */
int smbs_tree_publish(struct smbs_session *sess, struct smbs_tree *tree)
{
	int err = 0;

	xa_lock(&sess->trees);
	if (smbs_session_may_add(sess, &sess->trees)) {
		kref_get(&tree->ref);
		/* The index is reserved: there is nothing to allocate. */
		WARN_ON_ONCE(xa_is_err(__xa_store(&sess->trees, tree->id,
						  tree, 0)));
	} else {
		__smbs_tree_unreserve(sess, tree);
		err = -ENOENT;
	}
	xa_unlock(&sess->trees);
	return err;
}

