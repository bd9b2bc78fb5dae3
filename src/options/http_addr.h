/*
 * http_addr.h — the `http` option's address, read without allocating (the
 * constructor parses it): "127.0.0.1:6060", "[::1]:6060", "localhost:0"
 * (port 0: any free port), ":6060" (every interface). Only literal
 * addresses and "localhost" are taken, so what is checked (loopback or
 * not) is exactly what is bound: no name lookup can answer otherwise later.
 */
#ifndef PPROF_AGENT_HTTP_ADDR_H
#define PPROF_AGENT_HTTP_ADDR_H

struct http_addr {
	int family;             /* AF_INET or AF_INET6 */
	unsigned char ip[16];   /* network byte order; the first 4 for AF_INET */
	int port;               /* 0..65535; 0 = any free port */
	int loopback;           /* 127.0.0.0/8 or ::1 */
};

/* Returns 0 and fills out, or -1 when text is not one of the forms above. */
int http_addr_parse(const char *text, struct http_addr *out);

#endif
