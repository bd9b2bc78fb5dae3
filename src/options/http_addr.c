/*
 * http_addr.c — reading the `http` option's address (see http_addr.h).
 */
#include "http_addr.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

/* "0".."65535", digits only. */
static int parse_port(const char *s, int *port)
{
	int n = 0;
	if (*s == '\0' || strlen(s) > 5)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (*s - '0');
	}
	if (n > 65535)
		return -1;
	*port = n;
	return 0;
}

int http_addr_parse(const char *text, struct http_addr *out)
{
	char host[64];
	const char *colon;
	memset(out, 0, sizeof *out);
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (!close || close[1] != ':' || (size_t)(close - text - 1) >= sizeof host)
			return -1;
		memcpy(host, text + 1, (size_t)(close - text - 1));
		host[close - text - 1] = '\0';
		colon = close + 1;
		out->family = AF_INET6;
		if (inet_pton(AF_INET6, host, out->ip) != 1)
			return -1;
	} else {
		colon = strrchr(text, ':');
		if (!colon || (size_t)(colon - text) >= sizeof host)
			return -1;
		memcpy(host, text, (size_t)(colon - text));
		host[colon - text] = '\0';
		out->family = AF_INET;
		if (strcmp(host, "localhost") == 0)
			strcpy(host, "127.0.0.1");
		else if (host[0] == '\0')
			strcpy(host, "0.0.0.0");
		if (inet_pton(AF_INET, host, out->ip) != 1)
			return -1;
	}
	if (parse_port(colon + 1, &out->port) != 0)
		return -1;
	if (out->family == AF_INET)
		out->loopback = out->ip[0] == 127;
	else
		out->loopback = memcmp(out->ip, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16) == 0;
	return 0;
}
