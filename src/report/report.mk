# src/report/report.mk — profiles from buckets: the kinds table, building
# and symbolizing, the C API's records, the files.
REPORT_SOURCES = \
	src/report/report.h \
	src/report/kinds.h src/report/kinds.c src/report/kind_values.h \
	src/report/heap_kind.c src/report/contention_kind.c src/report/threadcreate_kind.c \
	src/report/cpu_kind.c \
	src/report/threads_kind.c src/report/thread_stacks.h src/report/thread_stacks.c \
	src/report/waiting_unwind.h src/report/waiting_unwind.c \
	src/report/syscall_names.h src/report/syscall_names.c \
	src/report/build.h src/report/build.c \
	src/report/delta.h src/report/delta.c \
	src/report/pc_memo.h src/report/pc_memo.c \
	src/report/records.h src/report/records.c \
	src/report/files.h src/report/files.c \
	src/report/output_dir.h src/report/output_dir.c \
	src/report/report_sys.h src/report/report_sys.c
REPORT_CPPFLAGS = $(CONFIG_CPPFLAGS) $(REPORT_INC) $(CORE_INC) $(SYMBOLIZE_INC) $(ENCODER_INC)

noinst_LTLIBRARIES += libpprof-report.la
libpprof_report_la_SOURCES = $(REPORT_SOURCES)
libpprof_report_la_CPPFLAGS = $(REPORT_CPPFLAGS)
libpprof_report_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
$(libpprof_report_la_OBJECTS): proto/profile.pb-c.h
