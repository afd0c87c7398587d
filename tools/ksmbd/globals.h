/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Server-wide settings from the [global] section.
 */
#ifndef KSMBD_GLOBALS_H
#define KSMBD_GLOBALS_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

#define SMB_DEFAULT_PORT	445
#define SMB_DEFAULT_IO_SIZE	(8U << 20)
#define SMB_MIN_IO_SIZE		(64U << 10)
#define SMB_DEFAULT_MAX_CONNECTIONS	1024
#define SMB_DEFAULT_MAX_OPEN_FILES	16384
#define SMB_DEFAULT_MAX_SESSIONS	1024
#define SMB_MAX_CREDITS		8192

struct smb_globals {
	char *netbios_name;
	char *workgroup;
	char *server_string;
	char *guest_account;
	uint16_t tcp_port;
	uint16_t min_dialect;
	uint16_t max_dialect;
	uint8_t signing;		/* enum smb_server_signing */
	uint8_t encryption;		/* enum smb_server_encryption */
	uint32_t max_read;
	uint32_t max_write;
	uint32_t max_trans;
	uint32_t max_connections;
	uint32_t max_ip_connections;	/* per client address */
	uint32_t max_open_files;
	uint32_t max_sessions;
	uint32_t max_credits;		/* per connection, 1 to SMB_MAX_CREDITS */
	uint32_t deadtime;		/* seconds */
	uint32_t flags;			/* SMB_SERVER_GLOBAL_* */
	int log_level;			/* syslog level, -1 if not set */
	uint8_t restrict_anonymous;	/* 0-2; the daemon's, not sent */
};

bool globals_key_known(const char *norm_key);
int globals_load(const struct conf_file *conf, struct smb_globals *g,
		 GError **error);
void globals_clear(struct smb_globals *g);

int parse_dialect(const char *v, bool is_max, uint16_t *out);
int parse_signing(const char *v, uint8_t *out);
/* "smb3 encryption" values as smb.conf spells them; -EINVAL otherwise */
int parse_encryption(const char *v, uint8_t *out);
const char *dialect_name(uint16_t dialect);

#endif
