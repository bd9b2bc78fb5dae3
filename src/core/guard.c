/*
 * guard.c — the per-thread reentrancy guard declared in core.h. Initial-exec
 * TLS (the library is built with -ftls-model=initial-exec), so reading it on
 * a hook's path is one load at a fixed offset from the thread pointer.
 */
#include "core.h"

__thread int agent_guard;
