# examples/examples.mk — the example program the demo profiles.
noinst_PROGRAMS += examples/example_app
examples_example_app_CFLAGS = -O1 -g -fno-omit-frame-pointer
examples_example_app_LDADD = -lpthread
