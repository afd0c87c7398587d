/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * File and file system information: the MS-FSCC structures the common
 * header lacks, and the helpers QUERY_DIRECTORY, QUERY_INFO and SET_INFO
 * share.
 */
#ifndef _SMBS_FILEINFO_H
#define _SMBS_FILEINFO_H

#include <linux/build_bug.h>
#include <linux/fs.h>
#include <linux/stat.h>
#include <linux/types.h>
#include "../common/smb2pdu.h"
#include "file.h"

struct smbs_tree;
struct smbs_work;

/* Information classes missing from smb2pdu.h (MS-FSCC 2.4) */
#define SMBS_FILE_DISPOSITION_INFORMATION_EX	64

/* FileDispositionInformationEx flags (MS-FSCC 2.4.12) */
#define SMBS_DISPOSITION_DELETE			0x00000001
#define SMBS_DISPOSITION_IGNORE_READONLY	0x00000010

/* FileModeInformation bits (MS-FSCC 2.4.30) */
#define SMBS_MODE_WRITE_THROUGH		0x00000002
#define SMBS_MODE_SEQUENTIAL_ONLY	0x00000004
#define SMBS_MODE_NO_BUFFERING		0x00000008
#define SMBS_MODE_SYNC_ALERT		0x00000010
#define SMBS_MODE_SYNC_NONALERT		0x00000020
#define SMBS_MODE_DELETE_ON_CLOSE	0x00001000
#define SMBS_MODE_QUERY_MASK	(SMBS_MODE_WRITE_THROUGH |		\
				 SMBS_MODE_SEQUENTIAL_ONLY |		\
				 SMBS_MODE_NO_BUFFERING |		\
				 SMBS_MODE_SYNC_ALERT |			\
				 SMBS_MODE_SYNC_NONALERT |		\
				 SMBS_MODE_DELETE_ON_CLOSE)

/* FileFsAttributeInformation FileSystemAttributes (MS-FSCC 2.5.1) */
#define SMBS_FS_CASE_SENSITIVE_SEARCH	0x00000001
#define SMBS_FS_CASE_PRESERVED_NAMES	0x00000002
#define SMBS_FS_UNICODE_ON_DISK		0x00000004
#define SMBS_FS_PERSISTENT_ACLS		0x00000008
#define SMBS_FS_SUPPORTS_SPARSE_FILES	0x00000040
#define SMBS_FS_READ_ONLY_VOLUME	0x00080000

/* Security descriptor control bits (MS-DTYP 2.4.6) */
#define SMBS_SD_DACL_PRESENT		0x0004
#define SMBS_SD_SELF_RELATIVE		0x8000

/* Access mask bits in host order (MS-DTYP 2.4.3, MS-SMB2 2.2.13.1) */
#define SMBS_ACE_READ		0x00120089	/* data, EA, attributes */
#define SMBS_ACE_WRITE		0x00120116	/* data, append, EA, attrs */
#define SMBS_ACE_EXECUTE	0x001200a0	/* execute, attributes */
#define SMBS_ACE_DELETE_CHILD	0x00000040
#define SMBS_ACE_OWNER		0x00160180	/* attributes, WRITE_DAC */

/* Size of the buffer smbs_sd_build() writes into */
#define SMBS_SD_MAX_SIZE	256

/* Longest QUERY_DIRECTORY pattern, in code points */
#define SMBS_PATTERN_MAX	255

/*
 * Entries of QUERY_DIRECTORY (MS-FSCC 2.4). The name follows each fixed
 * part; entries are 8-byte aligned and chained by NextEntryOffset.
 */
struct smbs_dir_info {			/* FileDirectoryInformation */
	__le32 next_entry_offset;
	__le32 file_index;
	__le64 creation_time;
	__le64 last_access_time;
	__le64 last_write_time;
	__le64 change_time;
	__le64 end_of_file;
	__le64 allocation_size;
	__le32 file_attributes;
	__le32 file_name_length;
} __packed;

struct smbs_full_dir_info {		/* FileFullDirectoryInformation */
	struct smbs_dir_info d;
	__le32 ea_size;
} __packed;

struct smbs_id_full_dir_info {		/* FileIdFullDirectoryInformation */
	struct smbs_dir_info d;
	__le32 ea_size;
	__le32 reserved;
	__le64 file_id;
} __packed;

struct smbs_both_dir_info {		/* FileBothDirectoryInformation */
	struct smbs_dir_info d;
	__le32 ea_size;
	__u8 short_name_length;
	__u8 reserved1;
	__u8 short_name[24];
} __packed;

struct smbs_id_both_dir_info {		/* FileIdBothDirectoryInformation */
	struct smbs_both_dir_info b;
	__le16 reserved2;
	__le64 file_id;
} __packed;

struct smbs_names_info {		/* FileNamesInformation */
	__le32 next_entry_offset;
	__le32 file_index;
	__le32 file_name_length;
} __packed;

static_assert(sizeof(struct smbs_dir_info) == 64);
static_assert(sizeof(struct smbs_full_dir_info) == 68);
static_assert(sizeof(struct smbs_id_full_dir_info) == 80);
static_assert(sizeof(struct smbs_both_dir_info) == 94);
static_assert(sizeof(struct smbs_id_both_dir_info) == 104);
static_assert(sizeof(struct smbs_names_info) == 12);

/* File information classes (MS-FSCC 2.4) */
struct smbs_basic_info {		/* FileBasicInformation */
	__le64 creation_time;
	__le64 last_access_time;
	__le64 last_write_time;
	__le64 change_time;
	__le32 file_attributes;
	__le32 reserved;
} __packed;

struct smbs_standard_info {		/* FileStandardInformation */
	__le64 allocation_size;
	__le64 end_of_file;
	__le32 number_of_links;
	__u8 delete_pending;
	__u8 directory;
	__le16 reserved;
} __packed;

struct smbs_network_open_info {		/* FileNetworkOpenInformation */
	__le64 creation_time;
	__le64 last_access_time;
	__le64 last_write_time;
	__le64 change_time;
	__le64 allocation_size;
	__le64 end_of_file;
	__le32 file_attributes;
	__le32 reserved;
} __packed;

struct smbs_attr_tag_info {		/* FileAttributeTagInformation */
	__le32 file_attributes;
	__le32 reparse_tag;
} __packed;

struct smbs_stream_info {		/* FileStreamInformation entry */
	__le32 next_entry_offset;
	__le32 stream_name_length;
	__le64 stream_size;
	__le64 stream_allocation_size;
} __packed;

struct smbs_compression_info {		/* FileCompressionInformation */
	__le64 compressed_file_size;
	__le16 compression_format;
	__u8 compression_unit_shift;
	__u8 chunk_shift;
	__u8 cluster_shift;
	__u8 reserved[3];
} __packed;

struct smbs_name_info {			/* FILE_NAME_INFORMATION */
	__le32 file_name_length;
} __packed;

struct smbs_id_info {			/* FileIdInformation */
	__le64 volume_serial_number;
	__u8 file_id[16];
} __packed;

static_assert(sizeof(struct smbs_basic_info) == 40);
static_assert(sizeof(struct smbs_standard_info) == 24);
static_assert(sizeof(struct smbs_network_open_info) == 56);
static_assert(sizeof(struct smbs_stream_info) == 24);
static_assert(sizeof(struct smbs_compression_info) == 16);
static_assert(offsetof(struct smb2_file_all_info, FileName) == 100);

/* File system information classes (MS-FSCC 2.5) */
struct smbs_fs_size_info {		/* FileFsSizeInformation */
	__le64 total_allocation_units;
	__le64 available_allocation_units;
	__le32 sectors_per_allocation_unit;
	__le32 bytes_per_sector;
} __packed;

struct smbs_fs_device_info {		/* FileFsDeviceInformation */
	__le32 device_type;
	__le32 characteristics;
} __packed;

struct smbs_fs_attr_info {		/* FileFsAttributeInformation */
	__le32 file_system_attributes;
	__le32 maximum_component_name_length;
	__le32 file_system_name_length;
} __packed;

struct smbs_fs_objid_info {		/* FileFsObjectIdInformation */
	__u8 object_id[16];
	__u8 extended_info[48];
} __packed;

static_assert(sizeof(struct smbs_fs_size_info) == 24);
static_assert(sizeof(struct smbs_fs_objid_info) == 64);
static_assert(offsetof(struct smb3_fs_vol_info, VolumeLabel) == 18);

/* SET_INFO input structures (MS-FSCC 2.4) */
struct smbs_allocation_info {		/* FileAllocationInformation */
	__le64 allocation_size;
} __packed;

struct smbs_position_info {		/* FilePositionInformation */
	__le64 current_byte_offset;
} __packed;

/* SMB2 ERROR Context response (MS-SMB2 2.2.2.1) */
struct smbs_err_ctx {
	__le32 error_data_length;
	__le32 error_id;
} __packed;

/* Does the open grant every bit of @bits? */
static inline bool smbs_fp_granted(const struct smbs_file *fp, __le32 bits)
{
	u32 want = le32_to_cpu(bits);

	return (fp->access & want) == want;
}

/**
 * struct smbs_pattern - a compiled QUERY_DIRECTORY search pattern
 * @cp: the pattern's code points, case folded
 * @len: their number
 * @all: the pattern matches every name ("*" or "*.*")
 */
struct smbs_pattern {
	u32 *cp;
	int len;
	bool all;
};

int smbs_pattern_compile(const char *utf8, struct smbs_pattern *pat);
bool smbs_pattern_match(const struct smbs_pattern *pat, const char *name,
			int len);
void smbs_pattern_free(struct smbs_pattern *pat);

int smbs_path_to_utf16(const char *path, bool lead, u8 **out, u32 *len);
u32 smbs_sd_build(const struct kstat *st, u32 secinfo, u8 *buf);

__le32 smbs_info_error(struct smbs_work *w, __le32 status, const void *data,
		       u32 len);

int smbs_dir_empty(const struct path *dir);
int smbs_vfs_rename_open(struct smbs_tree *tree, struct file *filp,
			 const char *newname, bool replace);
int smbs_vfs_link_open(struct smbs_tree *tree, struct file *filp,
		       const char *newname, bool replace);

#endif /* _SMBS_FILEINFO_H */
