/*
 * exit_notice.c — the runtime's handler for _exit and _Exit (see
 * exit_notice.h).
 */
#include "exit_notice.h"

exit_notice_handler _Atomic exit_notice_to;
