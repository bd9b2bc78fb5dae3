/*
 * host_namesakes.c — a host linked with libnamesakes.so
 * (host_namesakes_lib.c), its own unw_backtrace, deflate,
 * protobuf_c_message_pack, elf_begin, dwarf_getsrcfiles and inflate: it
 * prints what its calls to them returned (the markers 4242 to 4747 when
 * they reach its own), then keeps 50 x 20000 B allocated in namesake_alloc,
 * through namesake_block inlined into it, for the heap profile. Built with
 * compressed debug sections, its file:line needs libdw's DWARF reading,
 * zlib's inflate and the call site of the inlined block.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int unw_backtrace(void **buffer, int size);
int deflate(void *stream, int flush);
size_t protobuf_c_message_pack(const void *message, uint8_t *out);
void *elf_begin(int fd, int cmd, void *ref);
int dwarf_getsrcfiles(void *cudie, void **files, size_t *nfiles);
int inflate(void *stream, int flush);

static void *keep[50];

static inline __attribute__((always_inline)) void *namesake_block(void)
{
	return malloc(20000);  /* the block's line */
}

__attribute__((noinline)) static void namesake_alloc(void)
{
	for (int i = 0; i < 50; i++)
		keep[i] = namesake_block();  /* the call site's line */
}

int main(void)
{
	printf("unw_backtrace %d\n", unw_backtrace(NULL, 0));
	printf("deflate %d\n", deflate(NULL, 0));
	printf("protobuf_c_message_pack %zu\n", protobuf_c_message_pack(NULL, NULL));
	printf("elf_begin %d\n", (int)(intptr_t)elf_begin(-4545, 0, NULL));
	printf("dwarf_getsrcfiles %d\n", dwarf_getsrcfiles(NULL, NULL, NULL));
	printf("inflate %d\n", inflate(NULL, 0));
	namesake_alloc();
	return keep[49] == NULL;
}
