/*
 * test_output_dir.c — unit tests of src/report/output_dir.c: the output
 * directory is made when missing (mode 0700) and opened once, its
 * descriptor far above the program's and close-on-exec; a link of the
 * user's own is followed; a path through a file, a link owned by another
 * user (on the way or at the end), a directory owned by another user and
 * one others may write to (unless sticky) are each refused in one line; a descriptor the program closed or
 * reused is noticed and the directory opened again; temporaries of dead
 * processes are removed and no other file; and writing stops below the free
 * space reserve and above the size cap.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output_dir.h"
#include "report_sys.h"
#include "run_suite.h"

#define NOBODY 65534

static char base[64];

static void make_base(void)
{
	strcpy(base, "/tmp/test_output_dir.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
}

static void remove_base(void)
{
	char command[128];
	snprintf(command, sizeof command, "rm -rf '%s'", base);
	ck_assert_int_eq(system(command), 0);
}

static const char *at(const char *name)
{
	static char path[2][512];
	static int which;
	which = !which;
	snprintf(path[which], sizeof path[which], "%s/%s", base, name);
	return path[which];
}

/* Opening path must fail with the line "...cannot use PATH: WHY". */
static void assert_refused(const char *path, const char *why)
{
	struct output_dir d;
	char err[1024], want[1024];
	ck_assert_int_eq(output_dir_open(&d, path, err, sizeof err), -1);
	snprintf(want, sizeof want, "option dir: cannot use \"%s\": %s", path, why);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(d.fd, -1);
}

START_TEST(missing_directories_are_made_and_opened_high)
{
	struct output_dir d;
	char err[1024];
	struct stat st;
	ck_assert_msg(output_dir_open(&d, at("a/b/c"), err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(stat(at("a/b/c"), &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(stat(at("a"), &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert_int_gt(d.fd, 100);
	ck_assert_int_eq(fcntl(d.fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_str_eq(d.path, at("a/b/c"));
	output_dir_close(&d);
	ck_assert_msg(output_dir_open(&d, at("a/b/c"), err, sizeof err) == 0, "%s", err);
	output_dir_close(&d);
}
END_TEST

START_TEST(unusable_paths_are_refused_in_one_line)
{
	close(open(at("plain"), O_CREAT | O_WRONLY, 0600));
	assert_refused(at("plain/sub"), "Not a directory");
	assert_refused(at("plain"), "Not a directory");
	assert_refused("relative/dir", "not an absolute path shorter than PATH_MAX");
	ck_assert_int_eq(mkdir(at("target"), 0700), 0);
	ck_assert_int_eq(symlink(at("target"), at("link")), 0);
	/* a link of our own, at the end or on the way, is followed */
	struct output_dir d;
	char err[1024];
	ck_assert_msg(output_dir_open(&d, at("link"), err, sizeof err) == 0, "%s", err);
	output_dir_close(&d);
	ck_assert_msg(output_dir_open(&d, at("link/inside"), err, sizeof err) == 0, "%s", err);
	output_dir_close(&d);
	ck_assert_int_eq(access(at("target/inside"), F_OK), 0);
	ck_assert_int_eq(mkdir(at("open"), 0777), 0);
	ck_assert_int_eq(chmod(at("open"), 0777), 0);
	assert_refused(at("open"), "others may write to it and it is not sticky");
	ck_assert_int_eq(chmod(at("open"), 01777), 0);
	ck_assert_msg(output_dir_open(&d, at("open"), err, sizeof err) == 0, "%s", err);
	output_dir_close(&d);
}
END_TEST

/* What another user can do to the path: only root can play them here. */
START_TEST(what_another_user_owns_is_refused)
{
	if (geteuid() != 0) {
		fprintf(stderr, "test_output_dir: not root, cannot make files of another user\n");
		return;
	}
	ck_assert_int_eq(mkdir(at("victim"), 0700), 0);
	ck_assert_int_eq(symlink(at("victim"), at("planted")), 0);
	ck_assert_int_eq(lchown(at("planted"), NOBODY, NOBODY), 0);
	assert_refused(at("planted/sub"), "\"planted\" is a symbolic link owned by another user");
	assert_refused(at("planted"), "\"planted\" is a symbolic link owned by another user");
	ck_assert_int_eq(access(at("victim/sub"), F_OK), -1);
	ck_assert_int_eq(mkdir(at("theirs"), 0700), 0);
	ck_assert_int_eq(chown(at("theirs"), NOBODY, NOBODY), 0);
	assert_refused(at("theirs"), "it is owned by another user (uid 65534)");
}
END_TEST

START_TEST(a_descriptor_the_program_took_over_is_noticed)
{
	struct output_dir d;
	char err[1024];
	ck_assert_msg(output_dir_open(&d, at("out"), err, sizeof err) == 0, "%s", err);
	int old = d.fd;
	close(old);   /* the program closed it */
	ck_assert_msg(output_dir_check(&d, err, sizeof err) == 0, "%s", err);
	ck_assert_int_ge(d.fd, 0);
	ck_assert_int_eq(mkdir(at("other"), 0700), 0);
	int other = open(at("other"), O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(dup2(other, d.fd), d.fd);   /* and reused the number */
	close(other);
	ck_assert_msg(output_dir_check(&d, err, sizeof err) == 0, "%s", err);
	struct stat mine, now;
	ck_assert_int_eq(stat(at("out"), &mine), 0);
	ck_assert_int_eq(fstat(d.fd, &now), 0);
	ck_assert_uint_eq(now.st_ino, mine.st_ino);
	output_dir_close(&d);
}
END_TEST

START_TEST(closed_between_snapshots_and_not_made_again_once_removed)
{
	struct output_dir d;
	char err[1024];
	ck_assert_msg(output_dir_open(&d, at("kept/out"), err, sizeof err) == 0, "%s", err);
	output_dir_close(&d);
	ck_assert_int_eq(d.fd, -1);
	ck_assert_msg(output_dir_check(&d, err, sizeof err) == 0, "%s", err);
	ck_assert_int_ge(d.fd, 0);
	output_dir_close(&d);
	ck_assert_int_eq(rmdir(at("kept/out")), 0);
	ck_assert_int_eq(output_dir_check(&d, err, sizeof err), -1);
	ck_assert_int_eq(d.fd, -1);
	char want[2048];
	snprintf(want, sizeof want, "cannot write profiles to %s: No such file or directory",
	         at("kept/out"));
	ck_assert_str_eq(err, want);
	struct stat st;
	ck_assert_int_eq(stat(at("kept/out"), &st), -1);
}
END_TEST

static pid_t dead_pid(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

START_TEST(temporaries_of_dead_processes_are_removed)
{
	struct output_dir d;
	char err[1024], name[128];
	ck_assert_msg(output_dir_open(&d, base, err, sizeof err) == 0, "%s", err);
	pid_t dead = dead_pid();
	snprintf(name, sizeof name, ".prog.%d.heap.0001.tmp", (int)dead);
	close(open(at(name), O_CREAT | O_WRONLY, 0600));
	snprintf(name, sizeof name, ".prog.%d.heap.0001.tmp", (int)getpid());
	close(open(at(name), O_CREAT | O_WRONLY, 0600));
	close(open(at(".prog.1.heap.0001.tmp"), O_CREAT | O_WRONLY, 0600));
	snprintf(name, sizeof name, "prog.%d.heap.0001.pb.gz", (int)dead);
	close(open(at(name), O_CREAT | O_WRONLY, 0600));
	output_dir_remove_stale(&d);
	snprintf(name, sizeof name, ".prog.%d.heap.0001.tmp", (int)dead);
	ck_assert_int_eq(access(at(name), F_OK), -1);
	snprintf(name, sizeof name, ".prog.%d.heap.0001.tmp", (int)getpid());
	ck_assert_int_eq(access(at(name), F_OK), 0);
	ck_assert_int_eq(access(at(".prog.1.heap.0001.tmp"), F_OK), 0);
	snprintf(name, sizeof name, "prog.%d.heap.0001.pb.gz", (int)dead);
	ck_assert_int_eq(access(at(name), F_OK), 0);   /* published profiles stay */
	output_dir_close(&d);
}
END_TEST

static unsigned long fake_free_blocks;

static int fake_fstatvfs(int fd, struct statvfs *out)
{
	(void)fd;
	memset(out, 0, sizeof *out);
	out->f_frsize = 4096;
	out->f_bavail = fake_free_blocks;
	return 0;
}

START_TEST(writing_stops_below_the_reserve_and_above_the_cap)
{
	struct output_dir d;
	char err[1024], why[1024], want[1024];
	ck_assert_msg(output_dir_open(&d, base, err, sizeof err) == 0, "%s", err);
	int (*real)(int, struct statvfs *) = report_sys.fstatvfs;
	report_sys.fstatvfs = fake_fstatvfs;
	fake_free_blocks = 100;   /* 409600 bytes */
	ck_assert_int_eq(output_dir_has_room(&d, 409600, 1 << 20, why, sizeof why), 1);
	ck_assert_int_eq(output_dir_has_room(&d, 409601, 1 << 20, why, sizeof why), 0);
	snprintf(want, sizeof want,
	         "not writing profiles to %s: its file system has 409600 bytes free, less than "
	         "min_disk_free (409601)", base);
	ck_assert_str_eq(why, want);
	report_sys.fstatvfs = real;
	int fd = open(at("a.1.heap.0001.pb.gz"), O_CREAT | O_WRONLY, 0600);
	ck_assert_int_eq(ftruncate(fd, 3000), 0);
	close(fd);
	fd = open(at("other.bin"), O_CREAT | O_WRONLY, 0600);   /* not a profile */
	ck_assert_int_eq(ftruncate(fd, 100000), 0);
	close(fd);
	ck_assert_int_eq(output_dir_has_room(&d, 0, 3000, why, sizeof why), 1);
	ck_assert_int_eq(output_dir_has_room(&d, 0, 2999, why, sizeof why), 0);
	snprintf(want, sizeof want,
	         "not writing profiles to %s: the profiles there take 3000 bytes, more than "
	         "max_dir_size (2999)", base);
	ck_assert_str_eq(why, want);
	output_dir_close(&d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("output_dir");
	TCase *tc = tcase_create("output_dir");
	tcase_add_checked_fixture(tc, make_base, remove_base);
	tcase_add_test(tc, missing_directories_are_made_and_opened_high);
	tcase_add_test(tc, unusable_paths_are_refused_in_one_line);
	tcase_add_test(tc, what_another_user_owns_is_refused);
	tcase_add_test(tc, a_descriptor_the_program_took_over_is_noticed);
	tcase_add_test(tc, closed_between_snapshots_and_not_made_again_once_removed);
	tcase_add_test(tc, temporaries_of_dead_processes_are_removed);
	tcase_add_test(tc, writing_stops_below_the_reserve_and_above_the_cap);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
