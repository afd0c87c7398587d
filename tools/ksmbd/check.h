/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The effective configuration, printed for "ksmbd.mountd --check".
 */
#ifndef KSMBD_CHECK_H
#define KSMBD_CHECK_H

#include <stdio.h>

#include "globals.h"
#include "shares.h"

/*
 * conf_dump - print @g and every share of @tbl as ksmbd.conf text
 *
 * Every option the server acts on is listed with its effective value
 * (defaults included), and the options it has no support for with the
 * value that describes what it does, so the output loads again.
 */
void conf_dump(FILE *f, const struct smb_globals *g,
	       const struct share_table *tbl);

#endif
