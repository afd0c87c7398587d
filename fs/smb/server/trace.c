// SPDX-License-Identifier: GPL-2.0-only
/*
 * The server's tracepoints are instantiated here; see trace.h.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
