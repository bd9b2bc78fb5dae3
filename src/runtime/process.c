/*
 * process.c — the runtime's process-wide state (see process.h).
 */
#include "process.h"

struct agent_options agent_opts;
int agent_writes_files;
int agent_secure;
