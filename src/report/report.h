/*
 * report.h — turning the core's buckets into profiles and files, and the
 * rules every file in src/report/ keeps.
 *
 * The report is what Go's runtime/pprof is to its runtime: the kinds table
 * (kinds.h) says what each profile is; build.c reads a kind's records,
 * symbolizes their stacks (src/symbolize/) and hands them to the encoder
 * (src/encoder/); records.c copies records for the C API; files.c names,
 * writes and rotates the files.
 *
 * It runs only in a snapshot: on the agent's own thread, or in the thread
 * of a program that called the C API, always with the reentrancy guard
 * raised and under the runtime's snapshot lock (one snapshot at a time).
 * So, in src/report/:
 *   - allocating with malloc, file I/O and symbolizing are allowed (the
 *     guard keeps them out of the host's profiles);
 *   - buckets are read without a lock, as the core publishes them;
 *   - no core lock is ever held here, and no hook state is changed;
 *   - file system calls go through the seams of report_sys.h;
 *   - include headers of src/report/, src/core/, src/symbolize/,
 *     src/encoder/ and include/ only (the build enforces it).
 */
#ifndef PPROF_AGENT_REPORT_H
#define PPROF_AGENT_REPORT_H

#include "kinds.h"

#endif
