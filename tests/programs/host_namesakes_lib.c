/*
 * host_namesakes_lib.c — libnamesakes.so for e2e_private_deps.sh: a library
 * of the host's own that defines functions under names the agent's
 * libraries use (LLVM's and nongnu libunwind's unw_backtrace, zlib's
 * deflate, protobuf-c's protobuf_c_message_pack), each returning a marker
 * value and doing nothing else. Loaded before the agent's dependencies, it
 * would take over the agent's calls to them if the agent looked these
 * names up in the process; and if the agent exported them, the host's calls
 * would reach the agent's.
 */
#include <stddef.h>
#include <stdint.h>

int unw_backtrace(void **buffer, int size)
{
	(void)buffer, (void)size;
	return 4242;
}

int deflate(void *stream, int flush)
{
	(void)stream, (void)flush;
	return 4343;
}

size_t protobuf_c_message_pack(const void *message, uint8_t *out)
{
	(void)message, (void)out;
	return 4444;
}
