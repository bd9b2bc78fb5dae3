/*
 * child_env.c — the filter of child_env.h.
 */
#include "child_env.h"

preload_filter _Atomic child_preload_filter;
