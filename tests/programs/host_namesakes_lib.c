/*
 * host_namesakes_lib.c — libnamesakes.so for e2e_private_deps.sh: a library
 * of the host's own that defines functions under names the agent's
 * libraries use (LLVM's and nongnu libunwind's unw_backtrace, zlib's
 * deflate and inflate, protobuf-c's protobuf_c_message_pack, libelf's
 * elf_begin, libdw's dwarf_getsrcfiles), each returning a marker value and
 * doing nothing else. Loaded before the agent's dependencies, it would take
 * over the agent's calls to them (and libdw's own calls to libelf and zlib)
 * if those names were looked up in the process; and if the agent exported
 * them, the host's calls would reach the agent's.
 *
 * Reached by anyone but the host, each fails the way the real function
 * fails (NULL, an error code) rather than crash the agent: elf_begin
 * returns its marker only for the host's own call (fd -4545).
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

void *elf_begin(int fd, int cmd, void *ref)
{
	(void)cmd, (void)ref;
	return fd == -4545 ? (void *)(intptr_t)4545 : NULL;
}

int dwarf_getsrcfiles(void *cudie, void **files, size_t *nfiles)
{
	(void)cudie, (void)files, (void)nfiles;
	return 4646;
}

int inflate(void *stream, int flush)
{
	(void)stream, (void)flush;
	return 4747;
}
