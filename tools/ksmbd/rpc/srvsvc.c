// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The srvsvc interface (MS-SRVS): share enumeration.
 *
 *   opnum 15  NetrShareEnum (a.k.a. NetShareEnumAll), levels 0 and 1
 *   opnum 16  NetrShareGetInfo, levels 0 and 1
 *
 * Only browseable shares and IPC$ are enumerated; any available share
 * can be looked up by name.
 */
#include <errno.h>

#include <linux/smb_server.h>

#include "../log.h"
#include "../util.h"
#include "dcerpc.h"

#define SRVSVC_NET_SHARE_ENUM		15
#define SRVSVC_NET_SHARE_GET_INFO	16

/* Win32 error codes returned as NET_API_STATUS */
#define WERR_OK				0
#define WERR_INVALID_LEVEL		124
#define WERR_NET_NAME_NOT_FOUND		2310

#define STYPE_DISKTREE			0x00000000
#define STYPE_IPC			0x00000003
#define STYPE_SPECIAL			0x80000000

static uint32_t srvsvc_call(const struct rpc_env *env, uint16_t opnum,
			    const uint8_t *in, size_t in_len,
			    struct ndr_push *out);

/* 4b324fc8-1670-01d3-1278-5a47bf6ee188 version 3.0 */
const struct rpc_service srvsvc_service = {
	.pipe_name = "srvsvc",
	.syntax = {
		.uuid = { 0xc8, 0x4f, 0x32, 0x4b, 0x70, 0x16, 0xd3, 0x01,
			  0x12, 0x78, 0x5a, 0x47, 0xbf, 0x6e, 0xe1, 0x88 },
		.major = 3,
		.minor = 0,
	},
	.call = srvsvc_call,
};

static uint32_t share_type(const struct share *sh)
{
	if (sh->flags & SMB_SERVER_SHARE_PIPE)
		return STYPE_IPC | STYPE_SPECIAL;
	return STYPE_DISKTREE;
}

static bool share_listed(const struct share *sh)
{
	return sh->available &&
	       (sh->flags & (SMB_SERVER_SHARE_BROWSEABLE |
			     SMB_SERVER_SHARE_PIPE));
}

/*
 * SHARE_INFO_0 / SHARE_INFO_1 structures for @n shares: the fixed parts
 * (pointers and type) first, then the deferred strings in order.
 */
static int push_share_infos(struct ndr_push *p, struct share *const *v,
			    unsigned int n, uint32_t level)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		ndr_push_ptr(p, true);			/* netname */
		if (level == 1) {
			ndr_push_u32(p, share_type(v[i]));
			ndr_push_ptr(p, true);		/* remark */
		}
	}
	for (i = 0; i < n; i++) {
		if (ndr_push_wstring(p, v[i]->name))
			return -EINVAL;
		if (level == 1 && ndr_push_wstring(p, v[i]->comment ?
						   v[i]->comment : ""))
			return -EINVAL;
	}
	return 0;
}

/* [in, string, unique] SRVSVC_HANDLE ServerName: read and ignored. */
static int pull_server_name(struct ndr_pull *in)
{
	bool present;
	char *name;

	if (ndr_pull_ptr(in, &present))
		return -EINVAL;
	if (!present)
		return 0;
	if (ndr_pull_wstring(in, &name))
		return -EINVAL;
	g_free(name);
	return 0;
}

struct enum_req {
	uint32_t level;
	bool has_resume;
	uint32_t resume;
};

static int pull_enum_req(struct ndr_pull *in, struct enum_req *q)
{
	uint32_t switch_level, entries, count, max_len;
	bool container, buffer;

	if (pull_server_name(in) || ndr_pull_u32(in, &q->level) ||
	    ndr_pull_u32(in, &switch_level) ||
	    ndr_pull_ptr(in, &container) || switch_level != q->level)
		return -EINVAL;
	if (container) {
		if (ndr_pull_u32(in, &entries) || ndr_pull_ptr(in, &buffer))
			return -EINVAL;
		/* Clients send an empty container; accept nothing else. */
		if (buffer && (ndr_pull_u32(in, &count) || count))
			return -EINVAL;
	}
	if (ndr_pull_u32(in, &max_len) || ndr_pull_ptr(in, &q->has_resume))
		return -EINVAL;
	q->resume = 0;
	if (q->has_resume && ndr_pull_u32(in, &q->resume))
		return -EINVAL;
	return 0;
}

static bool level_known(uint32_t level)
{
	/* The arms of SHARE_ENUM_UNION and SHARE_INFO in MS-SRVS. */
	return level <= 2 || level == 501 || level == 502 || level == 503 ||
	       level == 1004 || level == 1005 || level == 1006 ||
	       level == 1501;
}

static uint32_t net_share_enum(const struct rpc_env *env,
			       struct ndr_pull *in, struct ndr_push *out)
{
	GPtrArray *list = g_ptr_array_new();
	struct enum_req q;
	struct share *sh;
	unsigned int i, start, n;
	bool ok_level;

	if (pull_enum_req(in, &q)) {
		g_ptr_array_unref(list);
		return DCERPC_FAULT_NDR;
	}
	if (!level_known(q.level)) {
		g_ptr_array_unref(list);
		return DCERPC_FAULT_INVALID_TAG;
	}
	for (i = 0; i < env->shares->list->len; i++) {
		sh = env->shares->list->pdata[i];
		if (share_listed(sh))
			g_ptr_array_add(list, sh);
	}
	start = MIN(q.resume, list->len);
	n = list->len - start;
	ok_level = q.level == 0 || q.level == 1;

	ndr_push_u32(out, q.level);			/* Level */
	ndr_push_u32(out, q.level);			/* union switch */
	ndr_push_ptr(out, ok_level);			/* container */
	if (ok_level) {
		ndr_push_u32(out, n);			/* EntriesRead */
		ndr_push_ptr(out, n > 0);		/* Buffer */
		if (n) {
			ndr_push_u32(out, n);		/* conformance */
			if (push_share_infos(out, (struct share **)
					     list->pdata + start, n,
					     q.level)) {
				g_ptr_array_unref(list);
				return DCERPC_FAULT_NDR;
			}
		}
	}
	ndr_push_u32(out, ok_level ? list->len : 0);	/* TotalEntries */
	ndr_push_ptr(out, q.has_resume);		/* ResumeHandle */
	if (q.has_resume)
		ndr_push_u32(out, 0);
	ndr_push_u32(out, ok_level ? WERR_OK : WERR_INVALID_LEVEL);
	pr_debug("srvsvc: NetShareEnumAll level %u: %u of %u shares",
		 q.level, ok_level ? n : 0, list->len);
	g_ptr_array_unref(list);
	return 0;
}

static uint32_t net_share_get_info(const struct rpc_env *env,
				   struct ndr_pull *in, struct ndr_push *out)
{
	struct share *sh = NULL;
	uint32_t level, status = WERR_OK;
	char *name;

	if (pull_server_name(in) || ndr_pull_wstring(in, &name))
		return DCERPC_FAULT_NDR;
	if (ndr_pull_u32(in, &level)) {
		g_free(name);
		return DCERPC_FAULT_NDR;
	}
	if (!level_known(level)) {
		g_free(name);
		return DCERPC_FAULT_INVALID_TAG;
	}
	if (level != 0 && level != 1) {
		status = WERR_INVALID_LEVEL;
	} else {
		sh = shares_find(env->shares, name);
		if (!sh || !sh->available) {
			sh = NULL;
			status = WERR_NET_NAME_NOT_FOUND;
		}
	}
	pr_debug("srvsvc: NetShareGetInfo level %u '%s': %u", level, name,
		 status);
	g_free(name);

	ndr_push_u32(out, level);			/* union switch */
	ndr_push_ptr(out, sh);
	if (sh && push_share_infos(out, &sh, 1, level))
		return DCERPC_FAULT_NDR;
	ndr_push_u32(out, status);
	return 0;
}

static uint32_t srvsvc_call(const struct rpc_env *env, uint16_t opnum,
			    const uint8_t *in, size_t in_len,
			    struct ndr_push *out)
{
	struct ndr_pull pull;

	ndr_pull_init(&pull, in, in_len);
	switch (opnum) {
	case SRVSVC_NET_SHARE_ENUM:
		return net_share_enum(env, &pull, out);
	case SRVSVC_NET_SHARE_GET_INFO:
		return net_share_get_info(env, &pull, out);
	default:
		pr_debug("srvsvc: opnum %u is not implemented", opnum);
		return DCERPC_FAULT_OP_RNG_ERROR;
	}
}
