# bench/bench.mk — the benchmark programs (benchmarks, not tests: they
# assert nothing and make check does not run them).
noinst_PROGRAMS += bench/bench_malloc bench/bench_locks bench/bench_encoder bench/bench_stacks
bench_bench_malloc_CFLAGS = -O2 -g
bench_bench_malloc_LDADD = -lpthread
bench_bench_locks_CFLAGS = -O2 -g
bench_bench_locks_LDADD = -lpthread
bench_bench_stacks_CFLAGS = -O2 -g
bench_bench_stacks_LDADD = -ldl
bench_bench_encoder_CPPFLAGS = $(ENCODER_CPPFLAGS)
bench_bench_encoder_LDADD = libpprof-encoder.la $(PROTOBUF_C_LIBS) $(ZLIB_LIBS)
EXTRA_DIST += bench/bench-malloc.sh bench/bench-locks.sh bench/side-by-side.sh \
	bench/configs.sh bench/rounds.sh bench/callgrind.sh bench/report.awk \
	bench/workload-sql.sh bench/workload_alloc.py
