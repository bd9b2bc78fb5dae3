/*
 * mhd_lib.c — libmicrohttpd's functions looked up at run time (see
 * mhd_lib.h).
 */
#include "mhd_lib.h"

#include <dlfcn.h>
#include <stdio.h>

const struct mhd_lib *mhd;
static struct mhd_lib loaded;

#define LOOK_UP(field, symbol)                                  \
	do {                                                    \
		*(void **)&loaded.field = dlsym(handle, symbol); \
		if (!loaded.field)                              \
			missing = symbol;                        \
	} while (0)

int mhd_lib_load(char *err, size_t errlen)
{
	const char *missing = NULL;
	if (mhd)
		return 0;
	void *handle = dlopen(MHD_LIB_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		snprintf(err, errlen, "cannot load %s (install the Debian package libmicrohttpd12): %s",
		         MHD_LIB_SONAME, dlerror());
		return -1;
	}
	LOOK_UP(start_daemon, "MHD_start_daemon");
	LOOK_UP(stop_daemon, "MHD_stop_daemon");
	LOOK_UP(run, "MHD_run");
	LOOK_UP(get_timeout, "MHD_get_timeout");
	LOOK_UP(get_daemon_info, "MHD_get_daemon_info");
	LOOK_UP(lookup_connection_value, "MHD_lookup_connection_value");
	LOOK_UP(get_connection_values, "MHD_get_connection_values");
	LOOK_UP(get_connection_info, "MHD_get_connection_info");
	LOOK_UP(create_response_from_buffer, "MHD_create_response_from_buffer");
	LOOK_UP(add_response_header, "MHD_add_response_header");
	LOOK_UP(queue_response, "MHD_queue_response");
	LOOK_UP(destroy_response, "MHD_destroy_response");
	LOOK_UP(suspend_connection, "MHD_suspend_connection");
	LOOK_UP(resume_connection, "MHD_resume_connection");
	if (missing) {
		snprintf(err, errlen, "%s has no %s", MHD_LIB_SONAME, missing);
		dlclose(handle);
		return -1;
	}
	mhd = &loaded;
	return 0;
}
