/*
 * notifysock: a stand-in for systemd's notify socket, for the end-to-end
 * suite.  Binds a Unix datagram socket at PATH and prints every message
 * it receives on one line (newlines inside a message become '|'), until
 * SECS seconds have passed or the file STOP exists.
 *
 *	notifysock PATH SECS [STOP]
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct sockaddr_un	sun;
	struct pollfd		pfd;
	char			buf[4096];
	time_t			end;
	ssize_t			n, i;
	int			fd;

	if (argc < 3 || strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: notifysock path secs [stopfile]\n");
		return 2;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, argv[1], strlen(argv[1]));
	unlink(argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		perror("notifysock");
		return 2;
	}
	end = time(NULL) + atoi(argv[2]);
	pfd.fd = fd;
	pfd.events = POLLIN;
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (time(NULL) < end && (argc < 4 || access(argv[3], F_OK) != 0)) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if ((n = recv(fd, buf, sizeof(buf) - 1, 0)) <= 0)
			continue;
		for (i = 0; i < n; i++)
			if (buf[i] == '\n')
				buf[i] = '|';
		buf[n] = '\0';
		printf("%s\n", buf);
	}
	unlink(argv[1]);
	return 0;
}
