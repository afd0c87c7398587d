// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksmbd.mountd: the control daemon of the kernel SMB server.
 *
 * It registers with the kernel (SMB_SERVER_CMD_START), then answers the
 * kernel's questions about users, shares and pipes from ksmbd.conf and the
 * password database. SIGHUP reloads both; SIGTERM and SIGINT stop it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib-unix.h>

#include "check.h"
#include "config.h"
#include "idcache.h"
#include "ipc.h"
#include "log.h"
#include "pidfile.h"
#include "rpc/rpc.h"
#include "util.h"

static struct {
	const char *config;
	const char *pwddb;
	const char *lockfile;
	int port;
	bool foreground;
	bool group_leader;
	bool verbose;
	bool check;
} opts = {
	.config = KSMBD_DEFAULT_CONFIG,
	.pwddb = KSMBD_DEFAULT_PWDDB,
	.port = -1,
};

static struct ksmbd_ctx ctx;
static struct smbnl nl;
static GMainLoop *loop;
static int exit_code;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ksmbd.mountd [OPTION]...\n"
		"Run the control daemon of the kernel SMB server.\n\n"
		"  -n, --nodetach[=WAY]  stay in the foreground, log to stderr;\n"
		"                        WAY 1 (default) also becomes a process\n"
		"                        group leader, WAY 0 detaches after all\n"
		"                        (alias: --foreground)\n"
		"  -C, --config FILE     configuration file (default %s)\n"
		"                        (alias: -c)\n"
		"  -P, --pwddb FILE      password database (default %s)\n"
		"                        (aliases: -u, --users)\n"
		"  -p, --port N          TCP port, overriding the configuration\n"
		"  -t, --check           check the configuration and the password\n"
		"                        database, print the effective settings\n"
		"                        and exit (non-zero on any error)\n"
		"  -v, --verbose         log debug messages\n"
		"  -V, --version         show the version\n"
		"  -h, --help            show this help\n",
		KSMBD_DEFAULT_CONFIG, KSMBD_DEFAULT_PWDDB);
}

static void ctx_clear(struct ksmbd_ctx *c)
{
	globals_clear(&c->globals);
	shares_free(c->shares);
	userdb_free(c->users);
	idcache_free(c->ids);
	c->shares = NULL;
	c->users = NULL;
	c->ids = NULL;
}

/* Read the configuration and the user list into @c. */
static int load_all(struct ksmbd_ctx *c, GError **error)
{
	struct conf_file *conf = NULL;
	GError *err = NULL, *more = NULL;
	int ret;

	memset(c, 0, sizeof(*c));
	conf = conf_parse_file(opts.config, &err);
	if (!conf) {
		if (err->code != KSMBD_ERR_NOENT) {
			g_propagate_error(error, err);
			return -EINVAL;
		}
		pr_warn("%s not found: serving nothing but IPC$",
			opts.config);
		g_clear_error(&err);
	}
	/* Both report every error they find, so run both. */
	ret = globals_load(conf, &c->globals, error);
	c->shares = shares_load(conf, error && *error ? &more : error);
	if (more) {
		conf_error_add(error, more->code, "%s", more->message);
		g_clear_error(&more);
	}
	if (ret || !c->shares)
		goto fail;
	c->users = userdb_new(opts.pwddb);
	if (userdb_load(c->users, error))
		goto fail;
	c->ids = idcache_new(KSMBD_IDCACHE_TTL, NULL, NULL);

	if (opts.port > 0)
		c->globals.tcp_port = opts.port;
	if (!opts.verbose && c->globals.log_level >= 0)
		log_set_level(c->globals.log_level);
	conf_free(conf);
	pr_info("loaded %s (shares: %u) and %s (users: %u)", opts.config,
		c->shares->list->len, opts.pwddb, c->users->list->len);
	return 0;

fail:
	conf_free(conf);
	ctx_clear(c);
	return -EINVAL;
}

static int send_start(void)
{
	struct nl_msg *msg = smbnl_start_msg(nl.family, &ctx.globals);
	GError *err = NULL;
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = smbnl_call(&nl, msg, SMBNL_ACK_TIMEOUT_MS, &err);
	if (ret) {
		pr_err("%s", err->message);
		g_error_free(err);
		return ret;
	}
	pr_info("kernel SMB server started on port %u (%s to %s)",
		ctx.globals.tcp_port, dialect_name(ctx.globals.min_dialect),
		dialect_name(ctx.globals.max_dialect));
	return 0;
}

static void on_request(struct smbnl *sock, uint8_t cmd, struct nlattr **tb,
		       bool malformed, [[maybe_unused]] void *data)
{
	struct nl_msg *rsp = ipc_handle(&ctx, sock->family, cmd, tb,
					malformed);

	if (rsp)
		smbnl_send(sock, rsp);
}

static gboolean on_netlink([[maybe_unused]] gint fd, GIOCondition cond,
			   [[maybe_unused]] gpointer data)
{
	if (cond & (G_IO_ERR | G_IO_HUP | G_IO_NVAL)) {
		pr_err("the netlink socket failed");
		exit_code = EXIT_FAILURE;
		g_main_loop_quit(loop);
		return G_SOURCE_REMOVE;
	}
	if (smbnl_process(&nl)) {
		exit_code = EXIT_FAILURE;
		g_main_loop_quit(loop);
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static gboolean on_reload([[maybe_unused]] gpointer data)
{
	struct ksmbd_ctx fresh;
	struct nl_msg *msg;
	GError *err = NULL;

	pr_info("reloading %s and %s", opts.config, opts.pwddb);
	if (load_all(&fresh, &err)) {
		pr_err("%s; keeping the running configuration", err->message);
		g_error_free(err);
		return G_SOURCE_CONTINUE;
	}
	fresh.pipes = ctx.pipes;
	ctx.pipes = NULL;
	ctx_clear(&ctx);
	ctx = fresh;

	send_start();
	msg = smbnl_msg_new(nl.family, SMB_SERVER_CMD_RELOAD, NLM_F_ACK, 0);
	if (msg && smbnl_call(&nl, msg, SMBNL_ACK_TIMEOUT_MS, &err)) {
		pr_err("%s", err->message);
		g_error_free(err);
	}
	return G_SOURCE_CONTINUE;
}

static gboolean on_terminate([[maybe_unused]] gpointer data)
{
	pr_info("terminating");
	g_main_loop_quit(loop);
	return G_SOURCE_REMOVE;
}

/*
 * Detach from the terminal. The original process waits on a pipe until
 * the daemon reports that it registered with the kernel, so that its
 * exit status says whether the server started. Returns the write end of
 * that pipe in the daemon.
 */
static int daemonize(void)
{
	int p[2];
	char status = 1;
	pid_t pid;

	if (pipe(p)) {
		pr_err("pipe: %s", g_strerror(errno));
		exit(EXIT_FAILURE);
	}
	pid = fork();
	if (pid < 0) {
		pr_err("fork: %s", g_strerror(errno));
		exit(EXIT_FAILURE);
	}
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &status, 1) != 1)
			status = 1;
		_exit(status ? EXIT_FAILURE : EXIT_SUCCESS);
	}
	close(p[0]);
	setsid();
	pid = fork();
	if (pid < 0) {
		pr_err("fork: %s", g_strerror(errno));
		exit(EXIT_FAILURE);
	}
	if (pid > 0)
		_exit(EXIT_SUCCESS);
	if (chdir("/"))
		pr_warn("chdir /: %s", g_strerror(errno));
	umask(022);
	return p[1];
}

/* Tell the waiting parent how startup went, and leave the terminal. */
static void report_ready(int fd, bool ok)
{
	char status = ok ? 0 : 1;
	int null;

	if (fd < 0)
		return;
	if (ok) {
		log_init("ksmbd.mountd", true);
		null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			if (null > STDERR_FILENO)
				close(null);
		}
	}
	if (write(fd, &status, 1) != 1)
		pr_warn("cannot report startup status: %s", g_strerror(errno));
	close(fd);
}

static int parse_args(int argc, char **argv)
{
	/* ksmbd-tools 3.5 names, and 3.4's -c, -u and --users. */
	static const struct option longopts[] = {
		{ "nodetach", optional_argument, NULL, 'n' },
		{ "foreground", no_argument, NULL, 'n' },
		{ "config", required_argument, NULL, 'C' },
		{ "pwddb", required_argument, NULL, 'P' },
		{ "users", required_argument, NULL, 'P' },
		{ "port", required_argument, NULL, 'p' },
		{ "check", no_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	uint32_t port;
	int c;

	while ((c = getopt_long(argc, argv, "n::C:c:P:u:p:tvVh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'n':
			if (optarg && strcmp(optarg, "0") &&
			    strcmp(optarg, "1")) {
				pr_err("invalid --nodetach way '%s': 0 or 1",
				       optarg);
				return -EINVAL;
			}
			opts.foreground = !optarg || *optarg == '1';
			opts.group_leader = opts.foreground;
			break;
		case 'C':
		case 'c':
			opts.config = optarg;
			break;
		case 'P':
		case 'u':
			opts.pwddb = optarg;
			break;
		case 't':
			opts.check = true;
			break;
		case 'V':
			printf("ksmbd.mountd (ksmbd tools) %s\n",
			       KSMBD_TOOLS_VERSION);
			exit(EXIT_SUCCESS);
		case 'p':
			if (conf_parse_u32(optarg, &port) || !port ||
			    port > 65535) {
				pr_err("invalid port '%s'", optarg);
				return -EINVAL;
			}
			opts.port = port;
			break;
		case 'v':
			opts.verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_SUCCESS);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		pr_err("unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

static int take_lock(int *fd)
{
	pid_t holder;
	int ret = pidfile_lock(opts.lockfile, fd, &holder);

	if (ret == -EBUSY) {
		if (holder)
			pr_err("ksmbd.mountd is already running (pid %d)",
			       (int)holder);
		else
			pr_err("ksmbd.mountd is already running (%s is locked)",
			       opts.lockfile);
	} else if (ret) {
		pr_err("cannot open %s: %s", opts.lockfile, g_strerror(-ret));
	}
	return ret;
}

/*
 * Signals are handled through the main loop from the start, so an early
 * SIGHUP or SIGTERM waits for it instead of killing the daemon half-way.
 */
static void setup_loop(void)
{
	loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGHUP, on_reload, NULL);
	g_unix_signal_add(SIGTERM, on_terminate, NULL);
	g_unix_signal_add(SIGINT, on_terminate, NULL);
}

int main(int argc, char **argv)
{
	GError *err = NULL;
	int lock_fd = -1, ready_fd = -1;

	log_init("ksmbd.mountd", false);
	opts.lockfile = ksmbd_lock_file();
	if (parse_args(argc, argv))
		return EXIT_FAILURE;
	log_set_level(opts.verbose ? LOG_DEBUG : LOG_INFO);
	signal(SIGPIPE, SIG_IGN);

	if (load_all(&ctx, &err)) {
		pr_err("%s", err->message);
		g_error_free(err);
		return EXIT_FAILURE;
	}
	if (opts.check) {
		printf("# %s, %u users in %s\n", opts.config,
		       ctx.users->list->len, opts.pwddb);
		conf_dump(stdout, &ctx.globals, ctx.shares);
		ctx_clear(&ctx);
		return fflush(stdout) ? EXIT_FAILURE : EXIT_SUCCESS;
	}
	if (take_lock(&lock_fd))
		return EXIT_FAILURE;
	if (!opts.foreground)
		ready_fd = daemonize();
	else if (opts.group_leader && getpgrp() != getpid() && setpgid(0, 0))
		pr_warn("cannot become a process group leader: %s",
			g_strerror(errno));
	if (pidfile_write(lock_fd, getpid()))
		pr_warn("cannot write %s: %s", opts.lockfile,
			g_strerror(errno));
	setup_loop();

	if (smbnl_open(&nl, &err)) {
		pr_err("%s", err->message);
		g_error_free(err);
		goto fail;
	}
	nl.handler = on_request;
	ctx.pipes = rpc_pipes_new();
	if (send_start()) {
		smbnl_close(&nl);
		goto fail;
	}
	report_ready(ready_fd, true);

	g_unix_fd_add(smbnl_fd(&nl), G_IO_IN | G_IO_ERR | G_IO_HUP,
		      on_netlink, NULL);
	g_main_loop_run(loop);
	g_main_loop_unref(loop);

	smbnl_close(&nl);
	rpc_pipes_free(ctx.pipes);
	ctx_clear(&ctx);
	unlink(opts.lockfile);
	close(lock_fd);
	return exit_code;

fail:
	report_ready(ready_fd, false);
	g_main_loop_unref(loop);
	rpc_pipes_free(ctx.pipes);
	ctx_clear(&ctx);
	unlink(opts.lockfile);
	close(lock_fd);
	return EXIT_FAILURE;
}
