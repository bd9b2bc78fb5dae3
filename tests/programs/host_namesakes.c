/*
 * host_namesakes.c — a host linked with libnamesakes.so
 * (host_namesakes_lib.c), its own unw_backtrace, deflate and
 * protobuf_c_message_pack: it prints what its calls to them returned (the
 * markers 4242, 4343 and 4444 when they reach its own), then keeps
 * 50 x 20000 B allocated in namesake_alloc for the heap profile.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int unw_backtrace(void **buffer, int size);
int deflate(void *stream, int flush);
size_t protobuf_c_message_pack(const void *message, uint8_t *out);

static void *keep[50];

__attribute__((noinline)) static void namesake_alloc(void)
{
	for (int i = 0; i < 50; i++)
		keep[i] = malloc(20000);
}

int main(void)
{
	printf("unw_backtrace %d\n", unw_backtrace(NULL, 0));
	printf("deflate %d\n", deflate(NULL, 0));
	printf("protobuf_c_message_pack %zu\n", protobuf_c_message_pack(NULL, NULL));
	namesake_alloc();
	return keep[49] == NULL;
}
