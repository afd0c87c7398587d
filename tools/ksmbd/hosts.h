/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "hosts allow" / "hosts deny" address matching.
 */
#ifndef KSMBD_HOSTS_H
#define KSMBD_HOSTS_H

#include <stdbool.h>

bool host_pattern_valid(const char *pattern);
bool host_match(const char *pattern, const char *addr);
bool host_list_match(char *const *patterns, const char *addr);
bool host_allowed(char *const *allow, char *const *deny, const char *addr);

#endif
