// SPDX-License-Identifier: GPL-2.0
/*
 * munmapbench: how long it takes several processes to unmap swapped-out
 * memory at the same time.
 *
 *   munmapbench [-n PROCS] [-m MIB] [-s SEED] [-c] [-b CMD] [-a CMD]
 *
 * Each of PROCS processes maps MIB MiB of anonymous memory, fills it with
 * data that compresses (about 3:1 with lzo, varying from page to page, so
 * that the compressed objects spread over many zsmalloc size classes),
 * pushes it out to swap with MADV_PAGEOUT and waits.  When all are ready,
 * they are released together and each one times its munmap(), which
 * frees every swap entry and so every zram or zswap object behind them.
 *
 * Output, one line per process and one for the run (times in ms, from
 * CLOCK_MONOTONIC, so comparable between the processes):
 *   munmap proc=I unmap_ms=T swapped_mib=S
 *   munmap procs=N mib=M wall_ms=W mean_ms=A max_ms=X swapped_pct=P
 * wall_ms runs from the first munmap() start to the last one's end.
 * With -c, before the barrier every process reads back every other page
 * (faulting it in from swap, which frees its swap entry) and compares it
 * with the data it wrote; for the stress test, which wants frees from
 * many processes and data checked, rather than a clean timing.
 *
 * -b CMD runs the shell command CMD right before the processes are
 * released, -a CMD right after the last one has unmapped: around the
 * unmaps and nothing else (clearing and reading /proc/lock_stat, say).
 *
 * Exit status 1 on a failure, 2 when less than 90% of the memory was
 * swapped out (the timing would not be of what it claims), 3 when -c
 * found a page that did not read back as written.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PAGE 4096
#define SNIP 64
#define MAX_PROCS 64

struct report {
	double t0, t1;		/* munmap() start and end, ms */
	long swapped_kb;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/*
 * A page made of 64-byte pieces, each a copy of one of k random snippets
 * (k from 4 to 35): the first copy of each is literal, the rest are
 * matches, so the page compresses to roughly k * 64 bytes plus overhead.
 */
static void fill_page(unsigned char *p, uint64_t *seed)
{
	unsigned char snip[35][SNIP];
	unsigned int k = 4 + xorshift(seed) % 32, i, j;

	for (i = 0; i < k; i++)
		for (j = 0; j < SNIP; j += 8) {
			uint64_t v = xorshift(seed);

			memcpy(&snip[i][j], &v, 8);
		}
	for (i = 0; i < PAGE / SNIP; i++)
		memcpy(p + i * SNIP, snip[xorshift(seed) % k], SNIP);
}

static long vm_swap_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmSwap: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static int check;

/* Every other page reads back as written (from swap, mostly). */
static int check_pages(unsigned char *mem, size_t bytes, uint64_t seed)
{
	unsigned char page[PAGE];
	size_t off;
	int bad = 0;

	for (off = 0; off < bytes; off += PAGE) {
		fill_page(page, &seed);
		if ((off / PAGE) % 2 && memcmp(mem + off, page, PAGE)) {
			if (!bad)
				fprintf(stderr, "page at offset %zu differs\n",
					off);
			bad++;
		}
	}
	return bad;
}

static int child(int id, size_t bytes, uint64_t seed, int ready_fd,
		 int go_fd, int out_fd);

/* Before the barrier: fail, and tell the parent so that it does not wait. */
static int child_fail(int ready_fd, int rc)
{
	char c = 'F';

	if (write(ready_fd, &c, 1) != 1)
		perror("write");
	return rc;
}

static int child(int id, size_t bytes, uint64_t seed, int ready_fd,
		 int go_fd, int out_fd)
{
	struct report r;
	unsigned char *mem;
	uint64_t seed0;
	size_t off;
	char c = 0;

	mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return child_fail(ready_fd, 1);
	}
	seed0 = seed = seed * 0x9e3779b97f4a7c15ULL + id + 1;
	for (off = 0; off < bytes; off += PAGE)
		fill_page(mem + off, &seed);
	if (madvise(mem, bytes, MADV_PAGEOUT)) {
		perror("madvise(MADV_PAGEOUT)");
		return child_fail(ready_fd, 1);
	}
	r.swapped_kb = vm_swap_kb();
	if (check && check_pages(mem, bytes, seed0)) {
		fprintf(stderr, "process %d: data corrupted\n", id);
		return child_fail(ready_fd, 3);
	}

	/* Ready; wait for the start. */
	if (write(ready_fd, &c, 1) != 1 || read(go_fd, &c, 1) != 1) {
		perror("barrier");
		return 1;
	}
	/*
	 * The unmap as a phase of its own for scripts/profile, which cuts
	 * its counts at each prctl() (see tools/zsbench.c).
	 */
	prctl(PR_SET_NAME, "mub-unmap", 0, 0, 0);
	r.t0 = now_ms();
	if (munmap(mem, bytes)) {
		perror("munmap");
		return 1;
	}
	r.t1 = now_ms();
	prctl(PR_SET_NAME, "mub-done", 0, 0, 0);
	if (write(out_fd, &r, sizeof(r)) != sizeof(r)) {
		perror("write");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int nprocs = 1, mib = 128, opt, i, status, bad = 0;
	int ready[2], go[2], out[2];
	struct report r[MAX_PROCS];
	pid_t pids[MAX_PROCS];
	uint64_t seed = 12345;
	double first = 0, last = 0, sum = 0, max = 0;
	long swapped = 0;
	const char *before = NULL, *after = NULL;
	char c;

	while ((opt = getopt(argc, argv, "n:m:s:cb:a:")) != -1) {
		switch (opt) {
		case 'c': check = 1; break;
		case 'b': before = optarg; break;
		case 'a': after = optarg; break;
		case 'n': nprocs = atoi(optarg); break;
		case 'm': mib = atoi(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		default:
			fprintf(stderr,
				"usage: %s [-n PROCS] [-m MIB] [-s SEED] [-c] [-b CMD] [-a CMD]\n",
				argv[0]);
			return 1;
		}
	}
	if (nprocs < 1 || nprocs > MAX_PROCS || mib < 1) {
		fprintf(stderr, "bad -n or -m\n");
		return 1;
	}
	if (pipe(ready) || pipe(go) || pipe(out)) {
		perror("pipe");
		return 1;
	}

	for (i = 0; i < nprocs; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		pids[i] = pid;
		if (!pid) {
			close(ready[0]);
			close(go[1]);
			close(out[0]);
			_exit(child(i, (size_t)mib << 20, seed, ready[1],
				    go[0], out[1]));
		}
	}
	close(ready[1]);
	close(go[0]);
	close(out[1]);

	/* All filled and swapped out: let them go at once. */
	for (i = 0; i < nprocs; i++)
		if (read(ready[0], &c, 1) != 1 || c == 'F') {
			fprintf(stderr, "a process failed before the barrier\n");
			for (i = 0; i < nprocs; i++)
				kill(pids[i], SIGKILL);
			while (wait(&status) > 0)
				if (WIFEXITED(status) && WEXITSTATUS(status))
					bad = WEXITSTATUS(status);
			return bad ? bad : 1;
		}
	if (before && system(before)) {
		fprintf(stderr, "-b %s failed\n", before);
		return 1;
	}
	for (i = 0; i < nprocs; i++)
		if (write(go[1], &c, 1) != 1) {
			perror("write");
			return 1;
		}

	for (i = 0; i < nprocs; i++) {
		ssize_t n = read(out[0], &r[i], sizeof(r[i]));

		if (n != (ssize_t)sizeof(r[i])) {
			fprintf(stderr, "a process failed in munmap\n");
			return 1;
		}
	}
	if (after && system(after)) {
		fprintf(stderr, "-a %s failed\n", after);
		return 1;
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	if (bad)
		return bad;

	for (i = 0; i < nprocs; i++) {
		double t = r[i].t1 - r[i].t0;

		printf("munmap proc=%d unmap_ms=%.2f swapped_mib=%.1f\n", i, t,
		       r[i].swapped_kb / 1024.0);
		if (!i || r[i].t0 < first)
			first = r[i].t0;
		if (!i || r[i].t1 > last)
			last = r[i].t1;
		if (t > max)
			max = t;
		sum += t;
		swapped += r[i].swapped_kb;
	}
	printf("munmap procs=%d mib=%d wall_ms=%.2f mean_ms=%.2f max_ms=%.2f swapped_pct=%.1f\n",
	       nprocs, mib, last - first, sum / nprocs, max,
	       100.0 * swapped / ((double)nprocs * mib * 1024));
	return swapped * 10 < (long)nprocs * mib * 1024 * 9 ? 2 : 0;
}
