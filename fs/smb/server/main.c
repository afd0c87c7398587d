// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module entry points, global settings and the request workqueue.
 *
 * Loading the module only registers the netlink family: the server starts
 * listening when the daemon registers with SMB_SERVER_CMD_START.
 */
#include "server.h"

#include <linux/module.h>
#include <linux/random.h>
#include <net/genetlink.h>
#include "misc.h"
#include "serve.h"

struct smbs_config smbs_cfg = {
	.netbios_name = "KSMBD",
	.workgroup = "WORKGROUP",
	.server_string = "SMB server",
	.tcp_port = SMBS_DEFAULT_PORT,
	.min_dialect = 0x0202,
	.max_dialect = 0x0311,
	.signing = SMB_SERVER_SIGNING_AUTO,
	.encryption = SMB_SERVER_ENCRYPTION_OFF,
	.max_read = SMBS_DEFAULT_IO_SIZE,
	.max_write = SMBS_DEFAULT_IO_SIZE,
	.max_trans = SMBS_DEFAULT_IO_SIZE,
	.max_connections = SMBS_DEFAULT_MAX_CONNECTIONS,
	.max_open_files = SMBS_DEFAULT_MAX_OPEN_FILES,
	.max_sessions = SMBS_DEFAULT_MAX_SESSIONS,
	.max_credits = SMBS_CREDITS_LIMIT,
};
DECLARE_RWSEM(smbs_config_lock);

/* Requests sleep in the VFS and on the daemon: an unbound queue. */
struct workqueue_struct *smbs_wq;

unsigned int smbs_debug;
module_param_named(debug, smbs_debug, uint, 0644);
MODULE_PARM_DESC(debug, "debug classes: 1 conn, 2 auth, 4 vfs, 8 pdu, 16 ipc");

static int __init smbs_init(void)
{
	int err;

	get_random_bytes(smbs_cfg.server_guid, sizeof(smbs_cfg.server_guid));
	smbs_cfg.start_time = smbs_nt_now();
	smbs_wq = alloc_workqueue("ksmbd-io", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!smbs_wq)
		return -ENOMEM;
	err = smbs_netlink_init();
	if (err) {
		destroy_workqueue(smbs_wq);
		return err;
	}
	smbs_conn_idle_start();
	return 0;
}

static void __exit smbs_exit(void)
{
	smbs_conn_idle_stop();
	smbs_netlink_exit();
	smbs_tcp_stop();
	smbs_conn_close_all();
	destroy_workqueue(smbs_wq);
}

module_init(smbs_init);
module_exit(smbs_exit);
MODULE_DESCRIPTION("In-kernel SMB2/SMB3 file server");
MODULE_LICENSE("GPL");
MODULE_ALIAS_GENL_FAMILY(SMB_SERVER_FAMILY_NAME);
