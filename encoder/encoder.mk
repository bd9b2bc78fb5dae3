# encoder/encoder.mk — the profile.proto encoder: protoc-c output generated
# at build time, the builder, the writer (protobuf-c + zlib) and their seams.
noinst_LTLIBRARIES += libpprof-encoder.la
libpprof_encoder_la_SOURCES = \
	encoder/profile_builder.h encoder/profile_builder.c \
	encoder/profile_tables.h encoder/profile_writer.c \
	encoder/dedup_index.h encoder/dedup_index.c \
	encoder/encoder_array.h encoder/encoder_array.c \
	encoder/gzip_sink.h encoder/gzip_sink.c \
	encoder/encoder_sys.h encoder/encoder_sys.c
nodist_libpprof_encoder_la_SOURCES = proto/profile.pb-c.c proto/profile.pb-c.h
libpprof_encoder_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden $(PROTOBUF_C_CFLAGS) $(ZLIB_CFLAGS)
libpprof_encoder_la_LIBADD = $(PROTOBUF_C_LIBS) $(ZLIB_LIBS)

# The generated header must exist before any object that includes it is
# compiled, also when a single target is made (BUILT_SOURCES covers only
# all and check).
$(libpprof_encoder_la_OBJECTS): proto/profile.pb-c.h
BUILT_SOURCES += proto/profile.pb-c.c proto/profile.pb-c.h
CLEANFILES += proto/profile.pb-c.c proto/profile.pb-c.h
proto/profile.pb-c.c proto/profile.pb-c.h: $(srcdir)/proto/profile.proto
	$(MKDIR_P) proto
	$(PROTOC_C) --proto_path=$(srcdir)/proto --c_out=proto $(srcdir)/proto/profile.proto
