/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Options of smb.conf and of ksmbd-tools that this server does not
 * implement: only the values that describe what it does anyway are taken.
 */
#ifndef KSMBD_COMPAT_H
#define KSMBD_COMPAT_H

#include <stdbool.h>

enum compat_verdict {
	COMPAT_UNKNOWN,		/* not an option of this table */
	COMPAT_OK,		/* the value is what the server does anyway */
	COMPAT_NO_EFFECT,	/* accepted, with a warning naming the effect */
	COMPAT_REFUSED,		/* asks for something the server cannot do */
	COMPAT_WRONG_SECTION,	/* a [global] option in a share or back */
};

/*
 * compat_check - judge an option that no key table implements
 * @norm: the normalized key (conf_key_norm())
 * @value: its value
 * @global: whether it is in [global]
 * @why: set to the reason for COMPAT_NO_EFFECT and COMPAT_REFUSED
 */
enum compat_verdict compat_check(const char *norm, const char *value,
				 bool global, const char **why);

/* Whether @norm is in the table; *@global_only: only for [global]. */
bool compat_key_known(const char *norm, bool *global_only);

#endif
