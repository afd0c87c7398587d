/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging for the ksmbd user-space tools: stderr or syslog.
 */
#ifndef KSMBD_LOG_H
#define KSMBD_LOG_H

#include <stdbool.h>
#include <syslog.h>

/* Levels are syslog priorities: LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG */
typedef void (*log_sink_fn)(int level, const char *msg, void *data);

void log_init(const char *ident, bool use_syslog);
void log_set_level(int level);
int log_get_level(void);
void log_set_sink(log_sink_fn fn, void *data);
[[gnu::format(printf, 2, 3)]]
void log_msg(int level, const char *fmt, ...);

#define pr_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define pr_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
