/*
 * test_files.c — unit tests of src/report/files.c and write_all
 * (report_sys.c): file names and sequence numbers, mode 0600, the `keep`
 * limit (which must touch only our own program, pid and kind), every
 * failure injected through the report_sys seams (each must return -1 with
 * its errno and leave no temporary or partial file behind), and short or
 * interrupted writes, which must still deliver every byte.
 */
#include "files.h"
#include "kinds.h"
#include "report_sys.h"
#include "run_suite.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PID 4242

static char base[64];

/* ---- seams: the production values, and faulty stand-ins ---- */

static int (*real_openat)(int, const char *, int, mode_t);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_close)(int);
static int base_fd = -1;
static size_t write_budget;   /* bytes the faulty write accepts before ENOSPC */

static int open_fails(int dirfd, const char *path, int flags, mode_t mode)
{
	(void)dirfd, (void)path, (void)flags, (void)mode;
	errno = EMFILE;
	return -1;
}

static ssize_t write_fills_disk(int fd, const void *buf, size_t len)
{
	ssize_t n;

	if (write_budget == 0) {
		errno = ENOSPC;
		return -1;
	}
	n = real_write(fd, buf, len < write_budget ? len : write_budget);
	if (n > 0)
		write_budget -= (size_t)n;
	return n;
}

static int rename_fails(int fromfd, const char *from, int tofd, const char *to)
{
	(void)fromfd, (void)from, (void)tofd, (void)to;
	errno = EIO;
	return -1;
}

static int close_fails(int fd)
{
	real_close(fd);
	errno = EDQUOT;
	return -1;
}

static int unlink_fails(int dirfd, const char *path, int flags)
{
	(void)dirfd, (void)path, (void)flags;
	errno = EPERM;
	return -1;
}

static void make_base(void)
{
	real_openat = report_sys.openat;
	real_write = report_sys.write;
	real_renameat = report_sys.renameat;
	real_close = report_sys.close;
	strcpy(base, "/tmp/test_files.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	base_fd = open(base, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(base_fd, 0);
}

static void remove_base(void)
{
	char command[128];

	close(base_fd);
	snprintf(command, sizeof command, "rm -rf '%s'", base);
	ck_assert_int_eq(system(command), 0);
}

/* ---- writers ---- */

static const char payload[] = "not really gzip, but 40 bytes of profile";

/* Writes the payload with write_all, in pieces of 8 bytes, as the encoder
 * delivers its output in chunks. */
static int write_payload(int fd, void *arg)
{
	size_t done = 0, piece;

	(void)arg;
	while (done < sizeof payload - 1) {
		piece = sizeof payload - 1 - done < 8 ? sizeof payload - 1 - done : 8;
		if (write_all(&fd, payload + done, piece) != 0)
			return -1;
		done += piece;
	}
	return 0;
}

static int writer_fails(int fd, void *arg)
{
	(void)fd, (void)arg;
	errno = EOVERFLOW;
	return -1;
}

/* ---- looking at the directory ---- */

static int is_visible(const struct dirent *e)
{
	return strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
}

/* The names in base, sorted, joined by spaces. */
static const char *listing(void)
{
	static char text[8192];
	struct dirent **names;
	int n, i;

	text[0] = '\0';
	n = scandir(base, &names, is_visible, alphasort);
	ck_assert_int_ge(n, 0);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(text, " ");
		strcat(text, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return text;
}

static void touch(const char *name)
{
	char path[PATH_MAX + 256];
	int fd;

	snprintf(path, sizeof path, "%s/%s", base, name);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static struct dump_dir dump_dir_for(const char *program, int keep)
{
	struct dump_dir d;

	dump_dir_init(&d, base_fd, base, program, PID, keep);
	return d;
}

/* ---- tests ---- */

START_TEST(names_count_from_0001_per_kind)
{
	struct dump_dir d = dump_dir_for("/usr/local/bin/server", 16);
	char path[PATH_MAX + 256], expected[PATH_MAX + 256];

	ck_assert_int_eq(dump_write(&d, 0, "heap", write_payload, NULL, path, sizeof path), 0);
	snprintf(expected, sizeof expected, "%s/server.4242.heap.0001.pb.gz", base);
	ck_assert_str_eq(path, expected);
	ck_assert_int_eq(dump_write(&d, 0, "heap", write_payload, NULL, path, sizeof path), 0);
	snprintf(expected, sizeof expected, "%s/server.4242.heap.0002.pb.gz", base);
	ck_assert_str_eq(path, expected);
	ck_assert_int_eq(dump_write(&d, KIND_THREADCREATE, "threadcreate", write_payload, NULL, path, sizeof path), 0);
	snprintf(expected, sizeof expected, "%s/server.4242.threadcreate.0001.pb.gz", base);
	ck_assert_str_eq(path, expected);
	ck_assert_int_eq(dump_write(&d, 0, "heap", write_payload, NULL, NULL, 0), 0);
	ck_assert_str_eq(listing(), "server.4242.heap.0001.pb.gz server.4242.heap.0002.pb.gz "
	                            "server.4242.heap.0003.pb.gz server.4242.threadcreate.0001.pb.gz");
}
END_TEST

START_TEST(files_hold_what_the_writer_wrote_with_mode_0600)
{
	struct dump_dir d = dump_dir_for("server", 16);
	char path[PATH_MAX + 256], content[128];
	struct stat st;
	ssize_t n;
	int fd;

	umask(0);
	ck_assert_int_eq(dump_write(&d, KIND_MUTEX, "mutex", write_payload, NULL, path, sizeof path), 0);
	umask(022);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	n = read(fd, content, sizeof content - 1);
	close(fd);
	ck_assert_int_eq(n, sizeof payload - 1);
	content[n] = '\0';
	ck_assert_str_eq(content, payload);
}
END_TEST

START_TEST(keep_removes_only_our_oldest_files)
{
	struct dump_dir d = dump_dir_for("server", 3);
	int i;

	touch("server.4242.mutex.0001.pb.gz");
	touch("server.4243.heap.0001.pb.gz");
	touch("server2.4242.heap.0001.pb.gz");
	touch("other.4242.heap.0001.pb.gz");
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(dump_write(&d, 0, "heap", write_payload, NULL, NULL, 0), 0);
	ck_assert_str_eq(listing(), "other.4242.heap.0001.pb.gz server.4242.heap.0003.pb.gz "
	                            "server.4242.heap.0004.pb.gz server.4242.heap.0005.pb.gz "
	                            "server.4242.mutex.0001.pb.gz server.4243.heap.0001.pb.gz "
	                            "server2.4242.heap.0001.pb.gz");
}
END_TEST

START_TEST(keep_of_one_keeps_the_newest)
{
	struct dump_dir d = dump_dir_for("server", 1);
	int i;

	for (i = 0; i < 3; i++)
		ck_assert_int_eq(dump_write(&d, KIND_BLOCK, "block", write_payload, NULL, NULL, 0), 0);
	ck_assert_str_eq(listing(), "server.4242.block.0003.pb.gz");
}
END_TEST

/* A file whose unlink failed is removed by a later write. */
START_TEST(keep_catches_up_after_a_failed_removal)
{
	struct dump_dir d = dump_dir_for("server", 2);
	int (*real_unlinkat)(int, const char *, int) = report_sys.unlinkat;

	ck_assert_int_eq(dump_write(&d, 0, "heap", write_payload, NULL, NULL, 0), 0);
	ck_assert_int_eq(dump_write(&d, 0, "heap", write_payload, NULL, NULL, 0), 0);
	report_sys.unlinkat = unlink_fails;
	ck_assert_int_eq(dump_write(&d, 0, "heap", write_payload, NULL, NULL, 0), 0);
	report_sys.unlinkat = real_unlinkat;
	ck_assert_str_eq(listing(), "server.4242.heap.0001.pb.gz server.4242.heap.0002.pb.gz "
	                            "server.4242.heap.0003.pb.gz");
	ck_assert_int_eq(dump_write(&d, 0, "heap", write_payload, NULL, NULL, 0), 0);
	ck_assert_str_eq(listing(), "server.4242.heap.0003.pb.gz server.4242.heap.0004.pb.gz");
}
END_TEST

/* Runs one write with a fault in place and checks the failure contract:
 * -1, the fault's errno, an empty directory, and the sequence number still
 * unused. */
static void check_failed_write(dump_writer writer, int expected_errno)
{
	struct dump_dir d = dump_dir_for("server", 4);
	char path[PATH_MAX + 256] = "untouched";

	errno = 0;
	ck_assert_int_eq(dump_write(&d, 0, "heap", writer, NULL, path, sizeof path), -1);
	ck_assert_int_eq(errno, expected_errno);
	ck_assert_str_eq(path, "untouched");
	report_sys.openat = real_openat;
	report_sys.write = real_write;
	report_sys.renameat = real_renameat;
	report_sys.close = real_close;
	ck_assert_str_eq(listing(), "");
	ck_assert_int_eq(dump_write(&d, 0, "heap", write_payload, NULL, path, sizeof path), 0);
	ck_assert_str_eq(listing(), "server.4242.heap.0001.pb.gz");
}

START_TEST(failed_open)
{
	report_sys.openat = open_fails;
	check_failed_write(write_payload, EMFILE);
}
END_TEST

START_TEST(disk_full_midway)
{
	write_budget = 20;
	report_sys.write = write_fills_disk;
	check_failed_write(write_payload, ENOSPC);
}
END_TEST

START_TEST(failed_writer)
{
	check_failed_write(writer_fails, EOVERFLOW);
}
END_TEST

START_TEST(failed_close)
{
	report_sys.close = close_fails;
	check_failed_write(write_payload, EDQUOT);
}
END_TEST

START_TEST(failed_rename)
{
	report_sys.renameat = rename_fails;
	check_failed_write(write_payload, EIO);
}
END_TEST

START_TEST(bad_slot_or_kind)
{
	struct dump_dir d = dump_dir_for("server", 4);

	errno = 0;
	ck_assert_int_eq(dump_write(&d, KIND_COUNT, "heap", write_payload, NULL, NULL, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(dump_write(&d, -1, "heap", write_payload, NULL, NULL, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(dump_write(&d, 0, "../heap", write_payload, NULL, NULL, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(listing(), "");
}
END_TEST

/* A process killed mid-write leaves its temporary file; a later process
 * with the same pid must not be blocked by it. */
START_TEST(stale_temporary_file_is_replaced)
{
	struct dump_dir d = dump_dir_for("server", 4);

	touch(".server.4242.heap.0001.tmp");
	ck_assert_int_eq(dump_write(&d, 0, "heap", write_payload, NULL, NULL, 0), 0);
	ck_assert_str_eq(listing(), "server.4242.heap.0001.pb.gz");
}
END_TEST

static long write_calls;

/* At most 7 bytes per call, and every third call is interrupted. */
static ssize_t short_interrupted_write(int fd, const void *buf, size_t len)
{
	if (++write_calls % 3 == 0) {
		errno = EINTR;
		return -1;
	}
	return real_write(fd, buf, len < 7 ? len : 7);
}

static ssize_t writes_nothing(int fd, const void *buf, size_t len)
{
	(void)fd, (void)buf, (void)len;
	return 0;
}

START_TEST(short_and_interrupted_writes_deliver_every_byte)
{
	char path[PATH_MAX + 256], content[4096], expected[4096];
	int fd;

	for (size_t i = 0; i < sizeof expected; i++)
		expected[i] = (char)('a' + i % 26);
	snprintf(path, sizeof path, "%s/short", base);
	fd = open(path, O_CREAT | O_RDWR, 0600);
	ck_assert_int_ge(fd, 0);
	write_calls = 0;
	report_sys.write = short_interrupted_write;
	ck_assert_int_eq(write_all(&fd, expected, sizeof expected), 0);
	report_sys.write = real_write;
	ck_assert_int_gt(write_calls, (long)(sizeof expected / 7));
	ck_assert_int_eq(pread(fd, content, sizeof content, 0), (ssize_t)sizeof content);
	ck_assert_mem_eq(content, expected, sizeof content);
	close(fd);
}
END_TEST

START_TEST(a_write_that_writes_nothing_is_eio)
{
	int fd = 1;

	report_sys.write = writes_nothing;
	errno = 0;
	ck_assert_int_eq(write_all(&fd, "x", 1), -1);
	ck_assert_int_eq(errno, EIO);
	report_sys.write = real_write;
}
END_TEST

START_TEST(a_long_program_name_is_shortened_keeping_the_pid)
{
	struct dump_dir d;
	char program[241], expected[PATH_MAX];

	memset(program, 'p', sizeof program - 1);
	program[sizeof program - 1] = '\0';
	d = dump_dir_for(program, 4);
	ck_assert_int_eq(dump_write(&d, 0, "heap", write_payload, NULL, NULL, 0), 0);
	memset(expected, 'p', PROGRAM_NAME_MAX);
	strcpy(expected + PROGRAM_NAME_MAX, ".4242.heap.0001.pb.gz");
	ck_assert_str_eq(listing(), expected);
}
END_TEST

static Suite *files_suite(void)
{
	Suite *s = suite_create("files");
	TCase *files = tcase_create("files"), *faults = tcase_create("faults");

	tcase_add_checked_fixture(files, make_base, remove_base);
	tcase_add_test(files, names_count_from_0001_per_kind);
	tcase_add_test(files, files_hold_what_the_writer_wrote_with_mode_0600);
	tcase_add_test(files, keep_removes_only_our_oldest_files);
	tcase_add_test(files, keep_of_one_keeps_the_newest);
	tcase_add_test(files, keep_catches_up_after_a_failed_removal);
	tcase_add_test(files, stale_temporary_file_is_replaced);
	suite_add_tcase(s, files);

	tcase_add_checked_fixture(faults, make_base, remove_base);
	tcase_add_test(faults, failed_open);
	tcase_add_test(faults, disk_full_midway);
	tcase_add_test(faults, failed_writer);
	tcase_add_test(faults, failed_close);
	tcase_add_test(faults, failed_rename);
	tcase_add_test(faults, bad_slot_or_kind);
	tcase_add_test(files, a_long_program_name_is_shortened_keeping_the_pid);
	tcase_add_test(faults, short_and_interrupted_writes_deliver_every_byte);
	tcase_add_test(faults, a_write_that_writes_nothing_is_eio);
	suite_add_tcase(s, faults);
	return s;
}

int main(void)
{
	return run_suite(files_suite());
}
