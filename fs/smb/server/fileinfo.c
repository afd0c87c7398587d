// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by QUERY_DIRECTORY, QUERY_INFO and SET_INFO: search
 * patterns, stat conversions, security descriptors built from the mode
 * bits, error data, and the rename and link operations on an open file.
 */
#include "server.h"

#include <linux/bitmap.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/nls.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <linux/unaligned.h>
#include "../common/smb2status.h"
#include "../common/smbacl.h"
#include "connection.h"
#include "fileinfo.h"
#include "misc.h"
#include "tree.h"
#include "vfs.h"
#include "work.h"

/*
 * Search patterns (MS-FSA 2.1.4.4). Besides '*' and '?', Windows clients
 * send the DOS wildcards: '<' (DOS_STAR) matches any run of characters
 * that does not take the name's final '.', '>' (DOS_QM) matches one
 * character other than '.', or nothing at a '.' or at the end of the name,
 * and '"' (DOS_DOT) matches a '.' or nothing at the end of the name.
 *
 * Matching is a simulation of the pattern as an automaton whose states are
 * the positions in the pattern, so it costs at most pattern length times
 * name length steps whatever the wildcards.
 */
#define SMBS_WC_STAR	'*'
#define SMBS_WC_QM	'?'
#define SMBS_WC_DOS_STAR '<'
#define SMBS_WC_DOS_QM	'>'
#define SMBS_WC_DOS_DOT	'"'

/*
 * Simple case folding for the comparison of names: ASCII, Latin-1,
 * Latin Extended-A, Greek and Cyrillic capitals map to small letters.
 */
static u32 smbs_fold(u32 c)
{
	if (c < 0x80)
		return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
	if ((c >= 0xc0 && c <= 0xde && c != 0xd7) ||
	    (c >= 0x391 && c <= 0x3ab && c != 0x3a2) ||
	    (c >= 0x410 && c <= 0x42f))
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;
	if (c == 0x178)
		return 0xff;
	if (c < 0x100 || c > 0x17e)
		return c;
	/* Latin Extended-A: capital and small letters alternate */
	if ((c >= 0x139 && c <= 0x148) || c >= 0x179)
		return (c & 1) ? c + 1 : c;
	if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149)
		return c;
	return (c & 1) ? c : c + 1;
}

/**
 * smbs_pattern_compile - prepare a search pattern for matching
 * @utf8: the pattern, UTF-8
 * @pat: filled in; release with smbs_pattern_free()
 *
 * Return: 0, -EINVAL for invalid UTF-8 or a pattern longer than
 * %SMBS_PATTERN_MAX characters, or -ENOMEM.
 */
int smbs_pattern_compile(const char *utf8, struct smbs_pattern *pat)
{
	int left = strlen(utf8);
	const u8 *s = utf8;
	unicode_t c;
	int n;

	memset(pat, 0, sizeof(*pat));
	if (!strcmp(utf8, "*") || !strcmp(utf8, "*.*")) {
		pat->all = true;
		return 0;
	}
	pat->cp = kmalloc_array(min(left, SMBS_PATTERN_MAX) + 1, sizeof(u32),
				GFP_KERNEL);
	if (!pat->cp)
		return -ENOMEM;
	while (left > 0) {
		n = utf8_to_utf32(s, left, &c);
		if (n <= 0 || pat->len == SMBS_PATTERN_MAX) {
			smbs_pattern_free(pat);
			return -EINVAL;
		}
		pat->cp[pat->len++] = smbs_fold(c);
		s += n;
		left -= n;
	}
	return 0;
}

/**
 * smbs_pattern_free - release a compiled pattern
 * @pat: the pattern
 */
void smbs_pattern_free(struct smbs_pattern *pat)
{
	kfree(pat->cp);
	pat->cp = NULL;
	pat->len = 0;
}

/* Follow the moves that consume nothing, before character @c or the end. */
static void smbs_pat_closure(const struct smbs_pattern *pat,
			     unsigned long *set, u32 c, bool at_end)
{
	int i;

	for (i = 0; i < pat->len; i++) {
		u32 p = pat->cp[i];

		if (!test_bit(i, set))
			continue;
		if (p == SMBS_WC_STAR || p == SMBS_WC_DOS_STAR ||
		    (p == SMBS_WC_DOS_QM && (at_end || c == '.')) ||
		    (p == SMBS_WC_DOS_DOT && at_end))
			__set_bit(i + 1, set);
	}
}

/* The states reached from @cur by consuming @c. */
static void smbs_pat_step(const struct smbs_pattern *pat,
			  const unsigned long *cur, unsigned long *next,
			  u32 c, bool last_dot)
{
	int i;

	bitmap_zero(next, pat->len + 1);
	for_each_set_bit(i, cur, pat->len) {
		u32 p = pat->cp[i];
		bool stay = false, adv = false;

		switch (p) {
		case SMBS_WC_STAR:
			stay = true;
			break;
		case SMBS_WC_DOS_STAR:
			stay = !last_dot;
			break;
		case SMBS_WC_QM:
			adv = true;
			break;
		case SMBS_WC_DOS_QM:
			adv = c != '.';
			break;
		case SMBS_WC_DOS_DOT:
			adv = c == '.';
			break;
		default:
			adv = p == c;
			break;
		}
		if (stay)
			__set_bit(i, next);
		if (adv)
			__set_bit(i + 1, next);
	}
}

/* The last '.' of a name, or NULL. */
static const char *smbs_last_dot(const char *name, int len)
{
	while (len-- > 0)
		if (name[len] == '.')
			return name + len;
	return NULL;
}

/**
 * smbs_pattern_match - does a name match a search pattern
 * @pat: the compiled pattern
 * @name: the name, UTF-8 (a name that is not valid UTF-8 never matches)
 * @len: its length in bytes
 *
 * Return: true if @name matches, ignoring case.
 */
bool smbs_pattern_match(const struct smbs_pattern *pat, const char *name,
			int len)
{
	DECLARE_BITMAP(a, SMBS_PATTERN_MAX + 1);
	DECLARE_BITMAP(b, SMBS_PATTERN_MAX + 1);
	unsigned long *cur = a, *next = b, *tmp;
	const char *dot = smbs_last_dot(name, len);
	const u8 *s = name;
	int left = len;
	unicode_t c;
	int n;

	if (pat->all)
		return len > 0;
	if (!len || !pat->len)
		return len == pat->len;

	bitmap_zero(cur, pat->len + 1);
	__set_bit(0, cur);
	while (left > 0) {
		n = utf8_to_utf32(s, left, &c);
		if (n <= 0)
			return false;
		c = smbs_fold(c);
		smbs_pat_closure(pat, cur, c, false);
		smbs_pat_step(pat, cur, next, c, (const char *)s == dot);
		if (bitmap_empty(next, pat->len + 1))
			return false;
		tmp = cur;
		cur = next;
		next = tmp;
		s += n;
		left -= n;
	}
	smbs_pat_closure(pat, cur, 0, true);
	return test_bit(pat->len, cur);
}

/**
 * smbs_path_to_utf16 - a share-relative path in the client's form
 * @path: the path, '/' separated, "" for the share root
 * @lead: start with a backslash
 * @out: a kmalloc'ed UTF-16LE string, backslash separated, not terminated
 * @len: its length in bytes
 *
 * Return: 0, -EINVAL for a path that is not valid UTF-8, or -ENOMEM.
 */
int smbs_path_to_utf16(const char *path, bool lead, u8 **out, u32 *len)
{
	size_t n = strlen(path);
	u32 room = (n + 1) * 2, off = 0, i;
	u8 *buf;
	int ret;

	if (n > PATH_MAX)
		return -EINVAL;
	buf = kmalloc(room, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (lead) {
		put_unaligned_le16('\\', buf);
		off = 2;
	}
	ret = smbs_utf8_to_utf16(path, n, buf + off, room - off);
	if (ret < 0) {
		kfree(buf);
		return ret == -ENOSPC ? -EINVAL : ret;
	}
	for (i = off; i < off + ret; i += 2)
		if (get_unaligned_le16(buf + i) == '/')
			put_unaligned_le16('\\', buf + i);
	*out = buf;
	*len = off + ret;
	return 0;
}

/* Write a SID with a one-byte identifier authority; return its size. */
static u32 smbs_sid_put(u8 *p, u8 auth, const u32 *sub, int n)
{
	struct smb_sid *sid = (struct smb_sid *)p;
	int i;

	sid->revision = 1;
	sid->num_subauth = n;
	memset(sid->authority, 0, NUM_AUTHS);
	sid->authority[NUM_AUTHS - 1] = auth;
	for (i = 0; i < n; i++)
		sid->sub_auth[i] = cpu_to_le32(sub[i]);
	return CIFS_SID_BASE_SIZE + n * sizeof(__le32);
}

/* Write an access-allowed ACE; return its size. */
static u32 smbs_ace_put(u8 *p, u32 mask, u8 auth, const u32 *sub, int n)
{
	struct smb_ace *ace = (struct smb_ace *)p;
	u32 size = offsetof(struct smb_ace, sid);

	size += smbs_sid_put(p + size, auth, sub, n);
	ace->type = ACCESS_ALLOWED_ACE_TYPE;
	ace->flags = 0;
	ace->size = cpu_to_le16(size);
	ace->access_req = cpu_to_le32(mask);
	return size;
}

/* Rights granted by one rwx triplet of the mode. */
static u32 smbs_mode_rights(unsigned int rwx, bool dir)
{
	u32 mask = 0;

	if (rwx & 4)
		mask |= SMBS_ACE_READ;
	if (rwx & 2)
		mask |= SMBS_ACE_WRITE | (dir ? SMBS_ACE_DELETE_CHILD : 0);
	if (rwx & 1)
		mask |= SMBS_ACE_EXECUTE;
	return mask;
}

/* A DACL for owner, group and Everyone from the mode bits. */
static u32 smbs_dacl_put(u8 *p, const struct kstat *st, u32 uid, u32 gid)
{
	struct smb_acl *acl = (struct smb_acl *)p;
	bool dir = S_ISDIR(st->mode);
	u32 off = sizeof(*acl);
	u16 count = 1;
	u32 mask;

	mask = smbs_mode_rights(st->mode >> 6, dir) | SMBS_ACE_OWNER;
	off += smbs_ace_put(p + off, mask, 22, (u32[]){ 1, uid }, 2);
	mask = smbs_mode_rights(st->mode >> 3, dir);
	if (mask) {
		off += smbs_ace_put(p + off, mask, 22, (u32[]){ 2, gid }, 2);
		count++;
	}
	mask = smbs_mode_rights(st->mode, dir);
	if (mask) {
		off += smbs_ace_put(p + off, mask, 1, (u32[]){ 0 }, 1);
		count++;
	}
	acl->revision = cpu_to_le16(2);
	acl->size = cpu_to_le16(off);
	acl->num_aces = cpu_to_le16(count);
	acl->reserved = 0;
	return off;
}

/**
 * smbs_sd_build - a self-relative security descriptor for an object
 * @st: the object's attributes
 * @secinfo: OWNER_SECINFO, GROUP_SECINFO and DACL_SECINFO select the parts
 * @buf: %SMBS_SD_MAX_SIZE bytes to write into
 *
 * The owner is S-1-22-1-<uid>, the group S-1-22-2-<gid>; the DACL has
 * allow ACEs derived from the mode bits for the owner, the group and
 * Everyone (MS-DTYP 2.4.6).
 *
 * Return: the descriptor's size.
 */
u32 smbs_sd_build(const struct kstat *st, u32 secinfo, u8 *buf)
{
	struct smb_ntsd *sd = (struct smb_ntsd *)buf;
	u32 uid = from_kuid_munged(&init_user_ns, st->uid);
	u32 gid = from_kgid_munged(&init_user_ns, st->gid);
	u16 control = SMBS_SD_SELF_RELATIVE;
	u32 off = sizeof(*sd);

	memset(buf, 0, SMBS_SD_MAX_SIZE);
	sd->revision = cpu_to_le16(1);
	if (secinfo & OWNER_SECINFO) {
		sd->osidoffset = cpu_to_le32(off);
		off += smbs_sid_put(buf + off, 22, (u32[]){ 1, uid }, 2);
	}
	if (secinfo & GROUP_SECINFO) {
		sd->gsidoffset = cpu_to_le32(off);
		off += smbs_sid_put(buf + off, 22, (u32[]){ 2, gid }, 2);
	}
	if (secinfo & DACL_SECINFO) {
		control |= SMBS_SD_DACL_PRESENT;
		sd->dacloffset = cpu_to_le32(off);
		off += smbs_dacl_put(buf + off, st, uid, gid);
	}
	sd->type = cpu_to_le16(control);
	return off;
}

/**
 * smbs_info_error - an error response carrying error data
 * @w: the work
 * @status: the status to answer
 * @data: ErrorData, may be NULL when @len is 0
 * @len: its length
 *
 * For dialect 3.1.1 the data goes into one error context (MS-SMB2 2.2.2.1),
 * even when empty, as QUERY_INFO requires for STATUS_INFO_LENGTH_MISMATCH
 * and STATUS_BUFFER_TOO_SMALL; older dialects carry it bare.
 *
 * Return: @status.
 */
__le32 smbs_info_error(struct smbs_work *w, __le32 status, const void *data,
		       u32 len)
{
	bool ctx = w->conn->dialect == SMB311_PROT_ID;
	u32 extra = len + (ctx ? sizeof(struct smbs_err_ctx) : 0);
	u32 fixed = sizeof(struct smb2_err_rsp) - sizeof(struct smb2_hdr);
	struct smb2_err_rsp *rsp;
	u8 *p;

	if (!extra || smbs_rsp_room(w) < fixed + extra)
		return status;
	rsp = smbs_rsp_body(w, sizeof(*rsp));
	rsp->StructureSize = cpu_to_le16(9);
	p = smbs_rsp_append(w, extra);
	if (!p)
		return status;
	rsp->ByteCount = cpu_to_le32(extra);
	if (ctx) {
		struct smbs_err_ctx *ec = (struct smbs_err_ctx *)p;

		rsp->ErrorContextCount = 1;
		ec->error_data_length = cpu_to_le32(len);
		ec->error_id = 0;
		p += sizeof(*ec);
	}
	if (len)
		memcpy(p, data, len);
	return status;
}

struct smbs_empty_ctx {
	struct dir_context ctx;
	bool found;
};

static bool smbs_empty_actor(struct dir_context *ctx, const char *name,
			     int len, loff_t pos, u64 ino, unsigned int type)
{
	struct smbs_empty_ctx *e = container_of(ctx, struct smbs_empty_ctx,
						ctx);

	if (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')))
		return true;
	e->found = true;
	return false;
}

/**
 * smbs_dir_empty - does a directory hold nothing but "." and ".."
 * @dir: the directory
 *
 * Reads it through a file of its own, so an open's position and open mode
 * do not matter.
 *
 * Return: 1 if empty, 0 if not, or a negative errno (-EACCES when it
 * cannot be read).
 */
int smbs_dir_empty(const struct path *dir)
{
	struct smbs_empty_ctx e = { .ctx.actor = smbs_empty_actor };
	struct file *filp;
	int err;

	filp = dentry_open(dir, O_RDONLY | O_DIRECTORY, current_cred());
	if (IS_ERR(filp))
		return PTR_ERR(filp);
	err = iterate_dir(filp, &e.ctx);
	fput(filp);
	if (err)
		return err;
	return e.found ? 0 : 1;
}

/* Resolve the parent of a new name, on the same mount as @filp. */
static int smbs_new_parent(struct smbs_tree *tree, struct file *filp,
			   const char *newname, struct path *parent,
			   const char **last)
{
	int err;

	err = smbs_vfs_lookup_parent(tree, newname, parent, last);
	if (err)	/* -EXDEV there means an escape from the share */
		return err == -EXDEV ? -EACCES : err;
	if (parent->mnt != filp->f_path.mnt) {
		path_put(parent);
		return -EXDEV;
	}
	err = mnt_want_write(parent->mnt);
	if (err)
		path_put(parent);
	return err;
}

/* Rename with both parents locked and the target looked up. */
static int smbs_do_rename(struct mnt_idmap *idmap, struct dentry *old,
			  struct dentry *old_dir, struct dentry *new,
			  struct dentry *new_dir, bool replace)
{
	struct renamedata rd = {
		.old_mnt_idmap = idmap,
		.old_dir = d_inode(old_dir),
		.old_dentry = old,
		.new_mnt_idmap = idmap,
		.new_dir = d_inode(new_dir),
		.new_dentry = new,
		.flags = replace ? 0 : RENAME_NOREPLACE,
	};

	if (d_really_is_positive(new)) {
		if (d_inode(new) == d_inode(old))
			return new == old ? 0 : -EEXIST;
		if (!replace)
			return -EEXIST;
		/* Windows never replaces a directory */
		if (d_is_dir(new))
			return -EACCES;
	}
	return vfs_rename(&rd);
}

/**
 * smbs_vfs_rename_open - rename an open file inside its share
 * @tree: the tree connect, whose root confines the new name
 * @filp: the open file
 * @newname: share-relative new name from smbs_share_path(), not ""
 * @replace: replace an existing file of that name
 *
 * Return: 0, -EEXIST if the name exists and @replace is false (or names a
 * directory: -EACCES), -EXDEV across mounts, or another negative errno.
 */
int smbs_vfs_rename_open(struct smbs_tree *tree, struct file *filp,
			 const char *newname, bool replace)
{
	struct mnt_idmap *idmap = mnt_idmap(filp->f_path.mnt);
	struct dentry *old = filp->f_path.dentry;
	struct dentry *old_dir, *new, *trap;
	struct path parent;
	const char *last;
	int err;

	err = smbs_new_parent(tree, filp, newname, &parent, &last);
	if (err)
		return err;
	trap = lock_rename_child(old, parent.dentry);
	if (IS_ERR(trap)) {
		err = PTR_ERR(trap);
		goto out;
	}
	old_dir = dget(old->d_parent);
	if (d_unhashed(old) || old == old_dir) {
		err = -ENOENT;
		goto unlock;
	}
	if (old == trap) {	/* the new parent lies beneath the file */
		err = -EINVAL;
		goto unlock;
	}
	new = lookup_one(idmap, last, parent.dentry, strlen(last));
	if (IS_ERR(new)) {
		err = PTR_ERR(new);
		goto unlock;
	}
	if (new == trap)	/* the target is an ancestor of the file */
		err = -ENOTEMPTY;
	else
		err = smbs_do_rename(idmap, old, old_dir, new, parent.dentry,
				     replace);
	dput(new);
unlock:
	unlock_rename(old_dir, parent.dentry);
	dput(old_dir);
out:
	mnt_drop_write(parent.mnt);
	path_put(&parent);
	return err;
}

/* Remove an existing link target so a new link can take its name. */
static int smbs_link_clear(struct mnt_idmap *idmap, struct dentry *old,
			   struct dentry *dir, struct dentry **new,
			   const char *last, bool replace)
{
	struct dentry *victim = *new;
	int err;

	if (d_inode(victim) == d_inode(old))
		return 1;	/* already a link to the same file */
	if (!replace)
		return -EEXIST;
	if (d_is_dir(victim))
		return -EACCES;
	err = vfs_unlink(idmap, d_inode(dir), victim, NULL);
	if (err)
		return err;
	dput(victim);
	*new = lookup_one(idmap, last, dir, strlen(last));
	if (IS_ERR(*new)) {
		err = PTR_ERR(*new);
		*new = NULL;
		return err;
	}
	return 0;
}

/**
 * smbs_vfs_link_open - make a hard link to an open file inside its share
 * @tree: the tree connect, whose root confines the new name
 * @filp: the open file (not a directory)
 * @newname: share-relative name of the link, not ""
 * @replace: replace an existing file of that name
 *
 * Return: 0, -EEXIST if the name exists and @replace is false, -EXDEV
 * across mounts, or another negative errno.
 */
int smbs_vfs_link_open(struct smbs_tree *tree, struct file *filp,
		       const char *newname, bool replace)
{
	struct mnt_idmap *idmap = mnt_idmap(filp->f_path.mnt);
	struct dentry *old = filp->f_path.dentry;
	struct path parent;
	struct dentry *new;
	const char *last;
	struct inode *dir;
	int err;

	err = smbs_new_parent(tree, filp, newname, &parent, &last);
	if (err)
		return err;
	dir = d_inode(parent.dentry);
	inode_lock_nested(dir, I_MUTEX_PARENT);
	new = lookup_one(idmap, last, parent.dentry, strlen(last));
	if (IS_ERR(new)) {
		err = PTR_ERR(new);
		goto unlock;
	}
	if (d_really_is_positive(new)) {
		err = smbs_link_clear(idmap, old, parent.dentry, &new, last,
				      replace);
		if (err)
			goto put;
	}
	err = vfs_link(old, idmap, dir, new, NULL);
put:
	if (err > 0)
		err = 0;
	if (new)
		dput(new);
unlock:
	inode_unlock(dir);
	mnt_drop_write(parent.mnt);
	path_put(&parent);
	return err;
}
