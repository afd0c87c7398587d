// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Logging for the ksmbd user-space tools.
 *
 * Tools print to stderr prefixed with their name; the daemon switches to
 * syslog once it has detached from the terminal. Tests install a sink to
 * capture messages.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static const char *log_ident = "ksmbd";
static bool log_syslog;
static int log_level = LOG_INFO;
static log_sink_fn log_sink;
static void *log_sink_data;

void log_init(const char *ident, bool use_syslog)
{
	if (log_syslog)
		closelog();
	log_ident = ident;
	log_syslog = use_syslog;
	if (use_syslog)
		openlog(ident, LOG_PID, LOG_DAEMON);
}

void log_set_level(int level)
{
	log_level = level;
}

int log_get_level(void)
{
	return log_level;
}

void log_set_sink(log_sink_fn fn, void *data)
{
	log_sink = fn;
	log_sink_data = data;
}

static const char *level_prefix(int level)
{
	switch (level) {
	case LOG_ERR:
		return "error: ";
	case LOG_WARNING:
		return "warning: ";
	case LOG_DEBUG:
		return "debug: ";
	default:
		return "";
	}
}

void log_msg(int level, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	if (level > log_level && !log_sink)
		return;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);

	if (log_sink) {
		log_sink(level, buf, log_sink_data);
		return;
	}
	if (log_syslog)
		syslog(level, "%s", buf);
	else
		fprintf(stderr, "%s: %s%s\n", log_ident, level_prefix(level),
			buf);
}
