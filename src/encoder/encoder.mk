# src/encoder/encoder.mk — the profile.proto encoder: protoc-c output
# generated at build time, the builder, the writer (protobuf-c + zlib) and
# its allocation seam. A library of its own: it sees no agent header.
ENCODER_SOURCES = \
	src/encoder/profile_builder.h src/encoder/profile_builder.c \
	src/encoder/profile_tables.h src/encoder/profile_writer.c \
	src/encoder/sample_wire.h src/encoder/sample_wire.c \
	src/encoder/dedup_index.h src/encoder/dedup_index.c \
	src/encoder/encoder_array.h src/encoder/encoder_array.c \
	src/encoder/gzip_sink.h src/encoder/gzip_sink.c \
	src/encoder/encoder_sys.h src/encoder/encoder_sys.c
ENCODER_CPPFLAGS = $(CONFIG_CPPFLAGS) $(ENCODER_INC) $(PROTOBUF_C_CFLAGS) $(ZLIB_CFLAGS)

noinst_LTLIBRARIES += libpprof-encoder.la
libpprof_encoder_la_SOURCES = $(ENCODER_SOURCES)
nodist_libpprof_encoder_la_SOURCES = proto/profile.pb-c.c proto/profile.pb-c.h
libpprof_encoder_la_CPPFLAGS = $(ENCODER_CPPFLAGS)
libpprof_encoder_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
# It names no library: the agent links protobuf-c and zlib in from their
# static archives (runtime.mk); a program linking the encoder alone adds
# $(PROTOBUF_C_LIBS) $(ZLIB_LIBS).

# The generated header must exist before any object that includes it is
# compiled, also when a single target is made (BUILT_SOURCES covers only
# all and check).
$(libpprof_encoder_la_OBJECTS): proto/profile.pb-c.h
BUILT_SOURCES += proto/profile.pb-c.c proto/profile.pb-c.h
CLEANFILES += proto/profile.pb-c.c proto/profile.pb-c.h
proto/profile.pb-c.c proto/profile.pb-c.h: $(srcdir)/proto/profile.proto
	$(MKDIR_P) proto
	$(PROTOC_C) --proto_path=$(srcdir)/proto --c_out=proto $(srcdir)/proto/profile.proto
