# tests/unit_encoder.mk — the encoder's tests: Check unit tests (round trip
# through protobuf-c, dedup, argument and write errors, allocation-failure
# injection), the end-to-end test that reads fixture profiles with
# go tool pprof, and the encoder benchmark (built, not run by make check).
check_PROGRAMS += tests/test_encoder tests/encoder_fixture
TESTS += tests/test_encoder tests/e2e_encoder.sh
EXTRA_DIST += tests/e2e_encoder.sh
noinst_PROGRAMS += tests/bench_encoder

tests_test_encoder_SOURCES = tests/test_encoder.c
tests_test_encoder_CFLAGS = $(TEST_CHECK_CFLAGS) $(PROTOBUF_C_CFLAGS) $(ZLIB_CFLAGS)
tests_test_encoder_LDADD = libpprof-encoder.la $(TEST_CHECK_LIBS) $(PROTOBUF_C_LIBS) $(ZLIB_LIBS)
$(tests_test_encoder_OBJECTS): proto/profile.pb-c.h

tests_encoder_fixture_SOURCES = tests/encoder_fixture.c
tests_encoder_fixture_LDADD = libpprof-encoder.la

tests_bench_encoder_SOURCES = tests/bench_encoder.c
tests_bench_encoder_LDADD = libpprof-encoder.la
