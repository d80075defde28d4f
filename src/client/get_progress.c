/*
 * get_progress: the progress line.  It is redrawn in place with a
 * carriage return, padded over the previous one, and sized to the
 * terminal so that it never wraps.  The rate is taken over the last few
 * seconds (a ring of samples) rather than since the start, so that the
 * time left reacts when a server slows down or stalls.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client/get_common.h"
#include "client/get_progress.h"

#define GET_RATE_SAMPLES	40	/* 4 s at GET_PROGRESS_HZ */
#define GET_RATE_MIN_MS		300	/* less history: the average */

struct get_sample {
	int64_t		at;
	uint64_t	got;
};

static struct get_sample	get_ring[GET_RATE_SAMPLES];
static unsigned			get_nring;

static void	get_progress_draw(struct get_progress *, int64_t, int);
static double	get_progress_rate(const struct get_progress *, int64_t);
static void	get_fmt_size(char *, size_t, double);
static void	get_fmt_time(char *, size_t, double);
static int	get_columns(void);

void
get_progress_start(struct get_progress *p, int enabled, uint64_t offset,
    int has_total, uint64_t total)
{
	memset(p, 0, sizeof(*p));
	p->enabled = enabled;
	p->start = p->drawn = get_now();
	p->offset = offset;
	p->has_total = has_total;
	p->total = total;
	get_nring = 0;
}

void
get_progress_add(struct get_progress *p, uint64_t n)
{
	int64_t	now;

	p->got += n;
	if (!p->enabled)
		return;
	now = get_now();
	/* A large body shows at the first redraw time, a rate known. */
	if (!p->shown && now - p->start < GET_PROGRESS_DELAY_MS &&
	    !(p->has_total && p->total - p->offset > GET_PROGRESS_BIG))
		return;
	if (now - p->drawn < 1000 / GET_PROGRESS_HZ)
		return;
	get_progress_draw(p, now, 0);
}

void
get_progress_idle(void *arg)
{
	struct get_progress	*p = arg;

	get_progress_add(p, 0);
}

void
get_progress_end(struct get_progress *p)
{
	/* A large body gets its summary line, however quick it was. */
	if (!p->enabled || (!p->shown &&
	    !(p->has_total && p->total - p->offset > GET_PROGRESS_BIG)))
		return;
	get_progress_draw(p, get_now(), 1);
	fputc('\n', stderr);
	get_msg_dirty(0);
	p->shown = 0;
}

static double
get_progress_rate(const struct get_progress *p, int64_t now)
{
	const struct get_sample	*old;
	unsigned		 n = get_nring < GET_RATE_SAMPLES ? get_nring :
				     GET_RATE_SAMPLES;

	old = &get_ring[get_nring < GET_RATE_SAMPLES ? 0 :
	    get_nring % GET_RATE_SAMPLES];
	if (n > 0 && now - old->at >= GET_RATE_MIN_MS)
		return (double)(p->got - old->got) * 1000 / (double)(now - old->at);
	if (now - p->start <= 0)
		return 0;
	return (double)p->got * 1000 / (double)(now - p->start);
}

static void
get_progress_draw(struct get_progress *p, int64_t now, int final)
{
	char		line[GET_PROGRESS_WIDTH_MAX + 1], done[16], all[16];
	char		rate[16], eta[32], bar[GET_PROGRESS_WIDTH_MAX];
	uint64_t	cur = p->offset + p->got;
	double		r, pct = 0;
	int		cols, n, w, fill;

	get_ring[get_nring++ % GET_RATE_SAMPLES] =
	    (struct get_sample){ now, p->got };
	r = final ? (double)p->got * 1000 / (double)(now - p->start + 1) :
	    get_progress_rate(p, now);
	cols = get_columns();
	get_fmt_size(done, sizeof(done), (double)cur);
	get_fmt_size(rate, sizeof(rate), r);
	if (final)
		get_fmt_time(eta, sizeof(eta), (double)(now - p->start) / 1000);
	else if (p->has_total && r > 0 && p->total >= cur)
		get_fmt_time(eta, sizeof(eta), (double)(p->total - cur) / r);
	else
		snprintf(eta, sizeof(eta), "--:--");
	if (p->has_total) {
		get_fmt_size(all, sizeof(all), (double)p->total);
		if (p->total > 0)
			pct = (double)cur * 100 / (double)p->total;
		n = snprintf(line, sizeof(line), "%9s / %-9s %3.0f%% ", done,
		    all, pct > 100 ? 100 : pct);
		/*
		 * The bar takes what the rest leaves: "[" "] " around it,
		 * then "%9s/s ETA " and the time.
		 */
		w = cols - 1 - n - 3 - 16 - (int)strlen(eta);
		if (w > (int)sizeof(bar) - 1)
			w = (int)sizeof(bar) - 1;
		if (w >= 5) {
			fill = (int)(pct > 100 ? w : pct * w / 100);
			memset(bar, '=', (size_t)fill);
			memset(bar + fill, ' ', (size_t)(w - fill));
			if (fill > 0 && fill < w)
				bar[fill - 1] = '>';
			bar[w] = '\0';
			n += snprintf(line + n, sizeof(line) - (size_t)n,
			    "[%s] ", bar);
		}
	} else
		n = snprintf(line, sizeof(line), "%9s ", done);
	snprintf(line + n, sizeof(line) - (size_t)n, "%9s/s %s %s", rate,
	    final ? "in" : "ETA", eta);
	n = (int)strlen(line);
	if (n > cols - 1)
		line[n = cols - 1 > 0 ? cols - 1 : 0] = '\0';
	/* Pad over a longer previous line instead of a terminal escape. */
	fprintf(stderr, "\r%s%*s", line, p->width > n ? p->width - n : 0, "");
	fflush(stderr);
	p->width = n;
	p->shown = 1;
	p->drawn = now;
	get_msg_dirty(1);
}

static void
get_fmt_size(char *buf, size_t size, double v)
{
	static const char	*units[] = { "KiB", "MiB", "GiB", "TiB" };
	int			 i = -1;

	if (v < 1024) {
		snprintf(buf, size, "%.0f B", v);
		return;
	}
	while (v >= 1024 && i < 3) {
		v /= 1024;
		i++;
	}
	snprintf(buf, size, "%.1f %s", v, units[i]);
}

static void
get_fmt_time(char *buf, size_t size, double secs)
{
	unsigned long	s;

	if (!(secs < 360000))		/* 100 h, or NaN */
		secs = 359999;
	s = (unsigned long)(secs + 0.5);
	if (s >= 3600)
		snprintf(buf, size, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60,
		    s % 60);
	else
		snprintf(buf, size, "%lu:%02lu", s / 60, s % 60);
}

static int
get_columns(void)
{
	struct winsize	ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col > GET_PROGRESS_WIDTH_MAX ?
		    GET_PROGRESS_WIDTH_MAX : ws.ws_col;
	return 80;
}
