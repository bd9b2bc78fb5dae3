# bench/bench.mk — the benchmark programs (benchmarks, not tests: they
# assert nothing and make check does not run them).
noinst_PROGRAMS += bench/bench_malloc bench/bench_locks bench/bench_encoder bench/bench_stacks \
	bench/bench_unit
bench_bench_malloc_CFLAGS = -O2 -g
bench_bench_malloc_LDADD = -lpthread
bench_bench_locks_CFLAGS = -O2 -g
bench_bench_locks_LDADD = -lpthread
bench_bench_stacks_CFLAGS = -O2 -g
bench_bench_stacks_SOURCES = bench/bench_stacks.c bench/bench_mem.h
bench_bench_stacks_LDADD = -ldl
# bench_unit: one generated compilation unit of 2,000 functions (the cold
# snapshot's worst case: every PC in the same unit).
nodist_bench_bench_unit_SOURCES = bench/bench_unit.c
bench_bench_unit_CFLAGS = -O2 -g
bench_bench_unit_CPPFLAGS = -I$(srcdir)/bench
bench_bench_unit_LDADD = -ldl
CLEANFILES += bench/bench_unit.c
bench/bench_unit.c: $(srcdir)/bench/gen_unit.sh
	@$(MKDIR_P) bench
	$(AM_V_GEN)$(SHELL) $(srcdir)/bench/gen_unit.sh 2000 1000 > $@.tmp && mv $@.tmp $@
bench_bench_encoder_CPPFLAGS = $(ENCODER_CPPFLAGS)
bench_bench_encoder_LDADD = libpprof-encoder.la $(PROTOBUF_C_LIBS) $(ZLIB_LIBS)
EXTRA_DIST += bench/bench-malloc.sh bench/bench-locks.sh bench/side-by-side.sh \
	bench/configs.sh bench/rounds.sh bench/callgrind.sh bench/report.awk \
	bench/workload-sql.sh bench/workload_alloc.py bench/gen_unit.sh
