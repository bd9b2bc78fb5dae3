/*
 * runtime.h — the agent's life in the process, and the rules every file in
 * src/runtime/ keeps.
 *
 * The runtime starts the agent (init.c: the constructor reads the options
 * and sets the core's rates), owns its thread (agent_thread.c), runs
 * snapshots (snapshot.c), keeps fork safe (fork.c), answers the C API
 * (api.c) and the snapshot signal (snapshot_signal.c), and logs (log.c).
 * The process-wide state it keeps is in process.h.
 *
 * Its code runs in the constructor, on the agent's own thread, in the
 * atfork handlers and in API calls made by the program. So, in
 * src/runtime/:
 *   - anything that may allocate, lock or unwind runs with the reentrancy
 *     guard raised (the agent thread raises it for good);
 *   - the only lock of its own is the snapshot lock (rank RANK_SNAPSHOT),
 *     and a signal handler here only posts a semaphore;
 *   - the constructor and the fork handlers allocate nothing: the host's
 *     allocator may not be ready, or may be mid-fork;
 *   - it may include every layer's headers; no other layer includes its
 *     headers (the build enforces it).
 */
#ifndef PPROF_AGENT_RUNTIME_H
#define PPROF_AGENT_RUNTIME_H

#include "core.h"
#include "log.h"
#include "process.h"

#endif
