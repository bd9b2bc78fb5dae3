/*
 * mhd_lib.h — GNU libmicrohttpd, loaded only when the `http` option asks
 * for an endpoint. It brings GnuTLS, p11-kit and their constructors with
 * it, so the agent does not link it: a process profiled without `http`
 * never maps it. Loaded on the HTTP thread, guard raised.
 */
#ifndef PPROF_AGENT_MHD_LIB_H
#define PPROF_AGENT_MHD_LIB_H

#include <stddef.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <microhttpd.h>

#define MHD_LIB_SONAME "libmicrohttpd.so.12"

struct mhd_lib {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_run) *run;
	__typeof__(MHD_get_timeout) *get_timeout;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
	__typeof__(MHD_get_connection_values) *get_connection_values;
	__typeof__(MHD_get_connection_info) *get_connection_info;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_suspend_connection) *suspend_connection;
	__typeof__(MHD_resume_connection) *resume_connection;
};

/* The functions, once loaded (NULL before). */
extern const struct mhd_lib *mhd;

/* Loads the library (once). Returns 0, or -1 with one line in err. */
int mhd_lib_load(char *err, size_t errlen);

#endif
