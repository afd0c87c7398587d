// SPDX-License-Identifier: GPL-2.0-only
/*
 * The commands that control the server: START (settings, and listening),
 * STOP, SET_DEBUG and RELOAD, in the smb_server netlink family
 * (Documentation/netlink/specs/smb_server.yaml; their policies are in
 * netlink_gen.c).
 *
 * This is the top of the server: it starts and stops the listener and
 * closes connections. The link to the daemon itself, which the object
 * layer uses for its questions, is netlink.c's.
 */
#include "server.h"

#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include "ipc.h"
#include "netlink_gen.h"

static void smbs_ctl_str(struct nlattr *a, char *dst, size_t size)
{
	if (a)
		nla_strscpy(dst, a, size);
}

static u32 smbs_ctl_u32(struct nlattr *a, u32 def)
{
	return a ? nla_get_u32(a) : def;
}

static u16 smbs_ctl_u16(struct nlattr *a, u16 def)
{
	return a ? nla_get_u16(a) : def;
}

static u8 smbs_ctl_u8(struct nlattr *a, u8 def)
{
	return a ? nla_get_u8(a) : def;
}

/* The settings of a START over the current ones; absent ones stay. */
static void smbs_ctl_config(struct smbs_config *cfg, struct nlattr **a)
{
	smbs_ctl_str(a[SMB_SERVER_A_NETBIOS_NAME], cfg->netbios_name,
		     sizeof(cfg->netbios_name));
	smbs_ctl_str(a[SMB_SERVER_A_WORKGROUP], cfg->workgroup,
		     sizeof(cfg->workgroup));
	smbs_ctl_str(a[SMB_SERVER_A_SERVER_STRING], cfg->server_string,
		     sizeof(cfg->server_string));
	cfg->tcp_port = smbs_ctl_u16(a[SMB_SERVER_A_TCP_PORT], cfg->tcp_port);
	cfg->min_dialect = smbs_ctl_u16(a[SMB_SERVER_A_MIN_DIALECT],
					cfg->min_dialect);
	cfg->max_dialect = smbs_ctl_u16(a[SMB_SERVER_A_MAX_DIALECT],
					cfg->max_dialect);
	cfg->signing = smbs_ctl_u8(a[SMB_SERVER_A_SIGNING], cfg->signing);
	cfg->encryption = smbs_ctl_u8(a[SMB_SERVER_A_ENCRYPTION],
				      cfg->encryption);
	cfg->max_read = smbs_ctl_u32(a[SMB_SERVER_A_MAX_READ], cfg->max_read);
	cfg->max_write = smbs_ctl_u32(a[SMB_SERVER_A_MAX_WRITE],
				      cfg->max_write);
	cfg->max_trans = smbs_ctl_u32(a[SMB_SERVER_A_MAX_TRANS],
				      cfg->max_trans);
	cfg->max_connections = smbs_ctl_u32(a[SMB_SERVER_A_MAX_CONNECTIONS],
					    cfg->max_connections);
	cfg->max_ip_connections =
		smbs_ctl_u32(a[SMB_SERVER_A_MAX_IP_CONNECTIONS],
			     cfg->max_ip_connections);
	cfg->max_open_files = smbs_ctl_u32(a[SMB_SERVER_A_MAX_OPEN_FILES],
					   cfg->max_open_files);
	cfg->max_credits = smbs_ctl_u32(a[SMB_SERVER_A_MAX_CREDITS],
					cfg->max_credits);
	cfg->max_sessions = smbs_ctl_u32(a[SMB_SERVER_A_MAX_SESSIONS],
					 cfg->max_sessions);
	cfg->deadtime = smbs_ctl_u32(a[SMB_SERVER_A_DEADTIME], cfg->deadtime);
	cfg->flags = smbs_ctl_u32(a[SMB_SERVER_A_GLOBAL_FLAGS], cfg->flags);
}

/*
 * START: register the daemon, take its settings and listen. The policy
 * has checked every attribute's type, length and range already.
 */
int smb_server_nl_start_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct smbs_config *cfg;
	int err;

	cfg = kmemdup(&smbs_cfg, sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	smbs_ctl_config(cfg, info->attrs);
	if (cfg->min_dialect > cfg->max_dialect) {
		NL_SET_ERR_MSG(info->extack, "min dialect above max dialect");
		kfree(cfg);
		return -EINVAL;
	}
	err = smbs_ipc_daemon_register(info);
	if (err) {
		kfree(cfg);
		return err;
	}

	down_write(&smbs_config_lock);
	memcpy(&smbs_cfg, cfg, sizeof(*cfg));
	up_write(&smbs_config_lock);
	kfree(cfg);

	err = smbs_tcp_start(smbs_cfg.tcp_port);
	if (err)
		NL_SET_ERR_MSG(info->extack, "cannot listen on the TCP port");
	else
		pr_info("daemon registered (port id %u)\n", info->snd_portid);
	return err;
}

/* STOP, from any administrator: no listener, no connections. */
int smb_server_nl_stop_doit(struct sk_buff *skb, struct genl_info *info)
{
	pr_info("stopping: closing the listener and all connections\n");
	smbs_tcp_stop();
	smbs_conn_close_all();
	return 0;
}

int smb_server_nl_set_debug_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, SMB_SERVER_A_DEBUG))
		return -EINVAL;
	WRITE_ONCE(smbs_debug, nla_get_u32(info->attrs[SMB_SERVER_A_DEBUG]));
	return 0;
}

int smb_server_nl_reload_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (!smbs_ipc_is_daemon(info))
		return -EPERM;
	/*
	 * Nothing is cached: every tree connect asks the daemon, so new
	 * settings apply to the next one.
	 */
	pr_info("daemon reloaded its configuration\n");
	return 0;
}
