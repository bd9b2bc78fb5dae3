/*
 * host_writer.c — a program that needs the space on its disk, for
 * e2e_host_files.sh: it writes RECORDS records of 32 KiB to FILE, one
 * every 20 ms (allocating as it goes, so the agent samples and takes its
 * snapshots meanwhile), and prints "records written N of RECORDS".
 *   host_writer FILE RECORDS
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RECORD 32768

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int records = atoi(argv[2]), written = 0;
	int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 2;
	for (int i = 0; i < records; i++) {
		char *record = malloc(RECORD);
		memset(record, 'a' + i % 26, RECORD);
		if (write(fd, record, RECORD) == RECORD && fsync(fd) == 0)
			written++;
		free(record);
		usleep(20000);
	}
	close(fd);
	printf("records written %d of %d\n", written, records);
	return written == records ? 0 : 1;
}
