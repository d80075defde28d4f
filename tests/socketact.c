/*
 * socketact: systemd-style socket activation for the end-to-end suite.
 * Binds and listens on 127.0.0.1:PORT, moves the socket to fd 3, sets
 * LISTEN_PID to its own pid (kept across exec) and LISTEN_FDS=1, then
 * executes the command.
 *
 *	socketact PORT COMMAND [ARG...]
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct sockaddr_in	sin;
	char			pid[32];
	int			fd, on = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: socketact port command [arg...]\n");
		return 2;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(argv[1]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 128) == -1) {
		perror("socketact");
		return 2;
	}
	if (fd != 3) {
		if (dup2(fd, 3) == -1) {
			perror("socketact: dup2");
			return 2;
		}
		close(fd);
	}
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	setenv("LISTEN_PID", pid, 1);
	setenv("LISTEN_FDS", "1", 1);
	execv(argv[2], argv + 2);
	perror("socketact: exec");
	return 127;
}
