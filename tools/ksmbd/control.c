// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksmbd.control: stop, reload or debug the kernel SMB server.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>

#include "log.h"
#include "netlink.h"
#include "pidfile.h"
#include "shares.h"
#include "util.h"

enum action { ACT_NONE, ACT_SHUTDOWN, ACT_RELOAD, ACT_DEBUG, ACT_VERSION,
	      ACT_KERNEL_VERSION, ACT_LIST };

static struct {
	enum action action;
	const char *classes;
	const char *lockfile;
	const char *config;
} opts = {
	.config = KSMBD_DEFAULT_CONFIG,
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ksmbd.control ACTION [OPTION]...\n"
		"Control the kernel SMB server and ksmbd.mountd.\n\n"
		"  -s, --shutdown        stop the server and ksmbd.mountd\n"
		"  -r, --reload          make ksmbd.mountd re-read its files\n"
		"  -l, --list            list the shares of the configuration file\n"
		"  -d, --debug CLASSES   set (not toggle) the kernel debug classes:\n"
		"                        all, none, or a comma list of\n"
		"                        conn,auth,vfs,pdu (alias smb),ipc\n"
		"  -c, --ksmbd-version   show the kernel side's version\n"
		"  -V, --version         show the versions of both sides\n"
		"  -C, --config FILE     configuration file for --list\n"
		"                        (default %s)\n"
		"  -v, --verbose         log debug messages\n"
		"  -h, --help            show this help\n",
		KSMBD_DEFAULT_CONFIG);
}

/*
 * Send one command that carries at most a debug mask; wait for the ack.
 * Returns -ENOENT, without a message, when the kernel side is not loaded.
 */
static int kernel_command(uint8_t cmd, bool with_debug, uint32_t debug)
{
	struct smbnl nl;
	struct nl_msg *msg;
	GError *err = NULL;
	int ret;

	ret = smbnl_open(&nl, &err);
	if (ret) {
		if (ret != -ENOENT)
			pr_err("%s", err->message);
		g_error_free(err);
		return ret;
	}
	msg = smbnl_msg_new(nl.family, cmd, NLM_F_ACK, 16);
	if (!msg || (with_debug &&
		     nla_put_u32(msg, SMB_SERVER_A_DEBUG, debug))) {
		pr_err("cannot build the %s message", smbnl_cmd_name(cmd));
		nlmsg_free(msg);
		smbnl_close(&nl);
		return -ENOMEM;
	}
	ret = smbnl_call(&nl, msg, SMBNL_ACK_TIMEOUT_MS, &err);
	if (ret) {
		pr_err("%s", err->message);
		g_error_free(err);
	}
	smbnl_close(&nl);
	return ret;
}

/* Signal the running ksmbd.mountd; -ESRCH, silently, if there is none. */
static int signal_mountd(int sig, pid_t *pid_out)
{
	pid_t pid = pidfile_running(opts.lockfile);

	if (pid == 0)
		return -ESRCH;
	if (pid < 0) {
		pr_err("cannot read %s: %s", opts.lockfile, g_strerror(-pid));
		return pid;
	}
	if (kill(pid, sig)) {
		pr_err("cannot signal ksmbd.mountd (pid %d): %s", (int)pid,
		       g_strerror(errno));
		return -errno;
	}
	if (pid_out)
		*pid_out = pid;
	return 0;
}

static void wait_for_exit(void)
{
	int i;

	for (i = 0; i < 50; i++) {
		if (pidfile_running(opts.lockfile) <= 0)
			return;
		usleep(100 * 1000);
	}
	pr_warn("ksmbd.mountd is still running after 5 seconds");
}

/* Stop the kernel server, then the daemon; neither running is fine. */
static int do_shutdown(void)
{
	int stop = kernel_command(SMB_SERVER_CMD_STOP, false, 0);
	pid_t pid;
	int sig;

	if (!stop)
		printf("kernel SMB server stopped\n");
	else if (stop == -ENOENT)
		printf("kernel SMB server is not loaded\n");
	sig = signal_mountd(SIGTERM, &pid);
	if (!sig) {
		wait_for_exit();
		printf("ksmbd.mountd (pid %d) terminated\n", (int)pid);
	} else if (sig == -ESRCH) {
		printf("ksmbd.mountd is not running\n");
	}
	return (stop && stop != -ENOENT) || (sig && sig != -ESRCH) ?
	       -EIO : 0;
}

/* The shares a (re)loading ksmbd.mountd serves, from the file. */
static int do_list(void)
{
	struct share_table *tbl;
	struct conf_file *conf;
	const struct share *sh;
	GError *err = NULL;
	unsigned int i;

	conf = conf_parse_file(opts.config, &err);
	tbl = conf ? shares_load(conf, &err) : NULL;
	conf_free(conf);
	if (!tbl) {
		pr_err("%s", err->message);
		g_error_free(err);
		return -EINVAL;
	}
	for (i = 0; i < tbl->list->len; i++) {
		sh = tbl->list->pdata[i];
		printf("%s\t%s\n", sh->name, sh->path ? sh->path : "(pipe)");
	}
	if (tbl->homes)
		printf("homes\t(each user's home directory)\n");
	shares_free(tbl);
	return 0;
}

static int do_version(bool tools)
{
	struct nl_cache *cache = NULL;
	struct genl_family *fam;
	struct nl_sock *sk;

	if (tools)
		printf("ksmbd tools %s, netlink protocol %s version %d\n",
		       KSMBD_TOOLS_VERSION, SMB_SERVER_FAMILY_NAME,
		       SMB_SERVER_FAMILY_VERSION);
	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk) || genl_ctrl_alloc_cache(sk, &cache)) {
		printf("kernel: cannot query generic netlink\n");
		goto out;
	}
	fam = genl_ctrl_search_by_name(cache, SMB_SERVER_FAMILY_NAME);
	if (fam) {
		printf("kernel: %s version %u\n", SMB_SERVER_FAMILY_NAME,
		       genl_family_get_version(fam));
		genl_family_put(fam);
	} else {
		printf("kernel: SMB server not loaded\n");
	}
out:
	if (cache)
		nl_cache_free(cache);
	if (sk)
		nl_socket_free(sk);
	return 0;
}

static int set_action(enum action a)
{
	if (opts.action != ACT_NONE) {
		pr_err("give only one action");
		return -EINVAL;
	}
	opts.action = a;
	return 0;
}

static int parse_args(int argc, char **argv)
{
	/* Ours and ksmbd-tools 3.5's. */
	static const struct option longopts[] = {
		{ "shutdown", no_argument, NULL, 's' },
		{ "reload", no_argument, NULL, 'r' },
		{ "list", no_argument, NULL, 'l' },
		{ "debug", required_argument, NULL, 'd' },
		{ "ksmbd-version", no_argument, NULL, 'c' },
		{ "version", no_argument, NULL, 'V' },
		{ "config", required_argument, NULL, 'C' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, ret = 0;

	while (!ret && (c = getopt_long(argc, argv, "srld:cVC:vh", longopts,
					NULL)) != -1) {
		switch (c) {
		case 's':
			ret = set_action(ACT_SHUTDOWN);
			break;
		case 'r':
			ret = set_action(ACT_RELOAD);
			break;
		case 'd':
			ret = set_action(ACT_DEBUG);
			opts.classes = optarg;
			break;
		case 'V':
			ret = set_action(ACT_VERSION);
			break;
		case 'c':
			ret = set_action(ACT_KERNEL_VERSION);
			break;
		case 'l':
			ret = set_action(ACT_LIST);
			break;
		case 'C':
			opts.config = optarg;
			break;
		case 'v':
			log_set_level(LOG_DEBUG);
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_SUCCESS);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (ret)
		return ret;
	if (optind < argc) {
		pr_err("unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	if (opts.action == ACT_NONE) {
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t classes;
	int ret;

	log_init("ksmbd.control", false);
	opts.lockfile = ksmbd_lock_file();
	if (parse_args(argc, argv))
		return EXIT_FAILURE;

	switch (opts.action) {
	case ACT_SHUTDOWN:
		ret = do_shutdown();
		break;
	case ACT_RELOAD:
		ret = signal_mountd(SIGHUP, NULL);
		if (!ret)
			printf("ksmbd.mountd is reloading its configuration\n");
		else if (ret == -ESRCH)
			pr_err("ksmbd.mountd is not running");
		break;
	case ACT_DEBUG:
		if (parse_debug_classes(opts.classes, &classes)) {
			pr_err("invalid debug classes '%s': use all, none or a comma list of conn,auth,vfs,pdu (or smb),ipc; this server has no oplock or rdma code",
			       opts.classes);
			return EXIT_FAILURE;
		}
		ret = kernel_command(SMB_SERVER_CMD_SET_DEBUG, true, classes);
		if (ret == -ENOENT)
			pr_err("kernel SMB server not available (is ksmbd loaded?)");
		if (!ret)
			printf("kernel debug classes set to 0x%x\n", classes);
		break;
	case ACT_LIST:
		ret = do_list();
		break;
	case ACT_KERNEL_VERSION:
		ret = do_version(false);
		break;
	default:
		ret = do_version(true);
		break;
	}
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
