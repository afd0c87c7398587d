// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the request API (work.c): file ids in related and
 * unrelated compounds, and the bounds of a response's own budget.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include "../file.h"
#include "../session.h"
#include "../tree.h"
#include "../work.h"

struct work_fixture {
	struct smbs_session sess;
	struct smbs_tree tree;
	struct smbs_tree other_tree;
	struct smbs_file fp;
	struct smbs_work w;
	struct smb2_hdr hdr;
};

static struct work_fixture *work_fixture(struct kunit *test)
{
	struct work_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	xa_init(&f->sess.files);
	kref_init(&f->fp.ref);
	mutex_init(&f->fp.lock);
	INIT_LIST_HEAD(&f->fp.waits);
	f->fp.pid = 5;
	f->fp.vid = 5;
	f->fp.tree = &f->tree;
	KUNIT_ASSERT_EQ(test, xa_err(xa_store(&f->sess.files, 5, &f->fp,
					      GFP_KERNEL)), 0);
	f->w.sess = &f->sess;
	f->w.tree = &f->tree;
	f->w.pdu.hdr = &f->hdr;
	return f;
}

static void work_fixture_done(struct work_fixture *f)
{
	xa_destroy(&f->sess.files);
}

/* Look up, check the result and drop the reference again. */
static void work_expect_lookup(struct kunit *test, struct work_fixture *f,
			       u64 pid, u64 vid, bool found)
{
	struct smbs_file *fp = smbs_file_lookup(&f->w, pid, vid);

	KUNIT_EXPECT_PTR_EQ(test, fp, found ? &f->fp : NULL);
	if (fp)
		refcount_dec(&fp->ref.refcount);	/* the table keeps its own */
}

static void work_file_ids_unrelated(struct kunit *test)
{
	struct work_fixture *f = work_fixture(test);

	work_expect_lookup(test, f, 5, 5, true);
	/* What was found is remembered for a later related request. */
	KUNIT_EXPECT_EQ(test, f->w.cmp_fid[0], 5ULL);
	KUNIT_EXPECT_EQ(test, f->w.cmp_fid[1], 5ULL);
	/* All ones mean nothing outside a related compound. */
	work_expect_lookup(test, f, U64_MAX, U64_MAX, false);
	/* Both ids must match, and the volatile one is 32 bits here. */
	work_expect_lookup(test, f, 6, 5, false);
	work_expect_lookup(test, f, 5, 6, false);
	work_expect_lookup(test, f, 5, 5ULL | (1ULL << 32), false);
	work_fixture_done(f);
}

static void work_file_ids_related(struct kunit *test)
{
	struct work_fixture *f = work_fixture(test);

	f->hdr.Flags = SMB2_FLAGS_RELATED_OPERATIONS;
	/* Nothing opened or used before: all ones find nothing. */
	work_expect_lookup(test, f, U64_MAX, U64_MAX, false);
	f->w.cmp_fid[0] = 5;
	f->w.cmp_fid[1] = 5;
	work_expect_lookup(test, f, U64_MAX, U64_MAX, true);
	/* Only both ids all ones stand for the previous file. */
	work_expect_lookup(test, f, U64_MAX, 5, false);
	work_expect_lookup(test, f, 5, U64_MAX, false);
	/* Real ids still work in a related request. */
	work_expect_lookup(test, f, 5, 5, true);
	work_fixture_done(f);
}

static void work_file_other_tree(struct kunit *test)
{
	struct work_fixture *f = work_fixture(test);

	/* An open of another tree connect of the session is not found. */
	f->w.tree = &f->other_tree;
	work_expect_lookup(test, f, 5, 5, false);
	f->hdr.Flags = SMB2_FLAGS_RELATED_OPERATIONS;
	f->w.cmp_fid[0] = 5;
	f->w.cmp_fid[1] = 5;
	work_expect_lookup(test, f, U64_MAX, U64_MAX, false);
	/* Nor without a session. */
	f->w.tree = &f->tree;
	f->w.sess = NULL;
	work_expect_lookup(test, f, 5, 5, false);
	work_fixture_done(f);
}

/* A response never grows past its own budget. */
static void work_rsp_budget(struct kunit *test)
{
	struct smb2_hdr req = { .ProtocolId = SMB2_PROTO_NUMBER,
				.Command = SMB2_QUERY_DIRECTORY };
	struct smbs_work *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	u32 budget = SMBS_RSP_ERR_SIZE + 100;
	u8 *body;

	KUNIT_ASSERT_NOT_NULL(test, w);
	w->elems = kunit_kcalloc(test, 2, sizeof(*w->elems), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w->elems);
	w->count = 2;
	w->el = &w->elems[0];
	KUNIT_ASSERT_EQ(test, smbs_rsp_start(w, &req, budget), 0);
	body = smbs_rsp_body(w, sizeof(struct smb2_hdr) + 8);
	KUNIT_ASSERT_NOT_NULL(test, body);
	KUNIT_EXPECT_EQ(test, smbs_rsp_room(w), budget - 72);
	KUNIT_EXPECT_NULL(test, smbs_rsp_append(w, budget - 71));
	KUNIT_EXPECT_NOT_NULL(test, smbs_rsp_append(w, budget - 72));
	KUNIT_EXPECT_EQ(test, smbs_rsp_room(w), 0U);
	KUNIT_EXPECT_NULL(test, smbs_rsp_append(w, 1));
	KUNIT_EXPECT_NULL(test, smbs_rsp_append(w, U32_MAX));

	/* The next element has a budget of its own, whatever this one used. */
	w->el = &w->elems[1];
	KUNIT_ASSERT_EQ(test, smbs_rsp_start(w, &req, SMBS_RSP_ERR_SIZE), 0);
	KUNIT_EXPECT_EQ(test, smbs_rsp_room(w),
			SMBS_RSP_ERR_SIZE - (u32)sizeof(struct smb2_hdr));
	kvfree(w->elems[0].rsp.buf);
	kvfree(w->elems[1].rsp.buf);
}

static struct kunit_case work_cases[] = {
	KUNIT_CASE(work_file_ids_unrelated),
	KUNIT_CASE(work_file_ids_related),
	KUNIT_CASE(work_file_other_tree),
	KUNIT_CASE(work_rsp_budget),
	{}
};

static struct kunit_suite work_suite = {
	.name = "smbs_work",
	.test_cases = work_cases,
};

kunit_test_suite(work_suite);
