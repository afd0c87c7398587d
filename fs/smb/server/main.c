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

struct smbd_config smbd_cfg = {
	.netbios_name = "KSMBD",
	.workgroup = "WORKGROUP",
	.server_string = "SMB server",
	.tcp_port = SMBD_DEFAULT_PORT,
	.min_dialect = 0x0202,
	.max_dialect = 0x0311,
	.signing = SMB_SERVER_SIGNING_AUTO,
	.encryption = SMB_SERVER_ENCRYPTION_OFF,
	.max_read = SMBD_DEFAULT_IO_SIZE,
	.max_write = SMBD_DEFAULT_IO_SIZE,
	.max_trans = SMBD_DEFAULT_IO_SIZE,
	.max_connections = SMBD_DEFAULT_MAX_CONNECTIONS,
	.max_open_files = SMBD_DEFAULT_MAX_OPEN_FILES,
	.max_sessions = SMBD_DEFAULT_MAX_SESSIONS,
	.max_credits = SMBD_CREDITS_LIMIT,
};
DECLARE_RWSEM(smbd_config_lock);

/* Requests sleep in the VFS and on the daemon: an unbound queue. */
struct workqueue_struct *smbd_wq;

unsigned int smbd_debug;
module_param_named(debug, smbd_debug, uint, 0644);
MODULE_PARM_DESC(debug, "debug classes: 1 conn, 2 auth, 4 vfs, 8 pdu, 16 ipc");

static int __init smbd_init(void)
{
	int err;

	get_random_bytes(smbd_cfg.server_guid, sizeof(smbd_cfg.server_guid));
	smbd_cfg.start_time = smbd_nt_now();
	smbd_wq = alloc_workqueue("ksmbd-io", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!smbd_wq)
		return -ENOMEM;
	err = smbd_netlink_init();
	if (err) {
		destroy_workqueue(smbd_wq);
		return err;
	}
	smbd_conn_idle_start();
	return 0;
}

static void __exit smbd_exit(void)
{
	smbd_conn_idle_stop();
	smbd_netlink_exit();
	smbd_tcp_stop();
	smbd_conn_close_all();
	destroy_workqueue(smbd_wq);
}

module_init(smbd_init);
module_exit(smbd_exit);
MODULE_DESCRIPTION("In-kernel SMB2/SMB3 file server");
MODULE_LICENSE("GPL");
MODULE_ALIAS_GENL_FAMILY(SMB_SERVER_FAMILY_NAME);
