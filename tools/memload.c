// SPDX-License-Identifier: GPL-2.0
/*
 * memload: put anonymous memory into swap (zswap or zram) with MADV_PAGEOUT
 * and read it back, checking every byte.
 *
 *   memload [-c CGROUP] [-m MIB] [-z | -r ZRAMDEV] [-k] [-s PCT]
 *
 *   -c CGROUP  move this process into the cgroup v2 directory first
 *   -m MIB     how much memory to use (default 32)
 *   -z         check that the cgroup's memory.stat "zswap" grew (needs -c)
 *   -r DEV     check that /sys/block/DEV/mm_stat orig_data_size grew
 *   -k         keep the memory swapped out until SIGUSR1, then read it back
 *   -s PCT     how much of it must have been swapped out (default 90; a
 *              stress run where pages are busy migrating may take 0)
 *
 * Prints what it measured and "memload: ok" on success; exits 1 on any
 * mismatch.  Every page holds different data that compresses to about a
 * third: neither a same-filled page nor an incompressible one.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zsutil.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static long page_size;
static volatile sig_atomic_t resume;

static void on_usr1(int sig)
{
	(void)sig;
	resume = 1;
}

/* Field "idx" (0-based) of the first line of a file, or -1. */
static long long read_field(const char *path, int idx)
{
	long long v[16];
	int n;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	n = fscanf(f, "%lld %lld %lld %lld %lld %lld %lld %lld", &v[0], &v[1],
		   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	return n > idx ? v[idx] : -1;
}

static uint8_t pattern(size_t page, size_t off)
{
	uint64_t h;

	/* The first quarter of a page is noise, the rest runs of 256 bytes. */
	if (off >= (size_t)page_size / 4)
		return (uint8_t)(page + off / 256);
	h = page * 0x9e3779b97f4a7c15ull + off * 0xbf58476d1ce4e5b9ull;
	h ^= h >> 31;
	h *= 0x94d049bb133111ebull;
	return (uint8_t)(h >> 56);
}

static long long swapped_kib(void)
{
	return read_key("/proc/self/status", "VmSwap:");
}

int main(int argc, char **argv)
{
	const char *cg = NULL, *zram = NULL;
	long long before = -1, after = -1, swapped;
	size_t mib = 32, size, pages, i, o, bad = 0;
	int opt, check_zswap = 0, keep = 0, min_pct = 90;
	char path[4096];
	uint8_t *mem;

	while ((opt = getopt(argc, argv, "c:m:zr:ks:")) != -1) {
		switch (opt) {
		case 'c': cg = optarg; break;
		case 'm': mib = strtoul(optarg, NULL, 0); break;
		case 'z': check_zswap = 1; break;
		case 'r': zram = optarg; break;
		case 'k': keep = 1; break;
		case 's': min_pct = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: memload [-c CGROUP] [-m MIB] [-z | -r DEV] [-k] [-s PCT]\n");
			return 2;
		}
	}
	if (check_zswap && !cg) {
		fprintf(stderr, "memload: -z needs -c\n");
		return 2;
	}
	page_size = sysconf(_SC_PAGESIZE);
	size = mib << 20;
	pages = size / page_size;

	if (cg) {
		int fd;

		snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
		fd = open(path, O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1)
			die(path);
		close(fd);
	}
	if (check_zswap) {
		snprintf(path, sizeof(path), "%s/memory.stat", cg);
		before = read_key(path, "zswap");
	} else if (zram) {
		snprintf(path, sizeof(path), "/sys/block/%s/mm_stat", zram);
		before = read_field(path, 0);
	}

	mem = map_small_pages(size);
	for (i = 0; i < pages; i++)
		for (o = 0; o < (size_t)page_size; o++)
			mem[i * page_size + o] = pattern(i, o);
	if (madvise(mem, size, MADV_PAGEOUT))
		die("madvise(MADV_PAGEOUT)");

	swapped = swapped_kib();
	if (check_zswap)
		after = read_key(path, "zswap");
	else if (zram)
		after = read_field(path, 0);
	printf("memload: %zu MiB, VmSwap %lld kB after MADV_PAGEOUT\n", mib, swapped);
	if (check_zswap || zram)
		printf("memload: %s %s: %lld -> %lld bytes\n", path,
		       check_zswap ? "zswap" : "orig_data_size", before, after);

	if (keep) {
		sigset_t mask, old;

		/* Block SIGUSR1 until we wait for it, so none is lost. */
		sigemptyset(&mask);
		sigaddset(&mask, SIGUSR1);
		sigprocmask(SIG_BLOCK, &mask, &old);
		signal(SIGUSR1, on_usr1);
		printf("memload: holding (pid %d)\n", getpid());
		fflush(stdout);
		while (!resume)
			sigsuspend(&old);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}

	for (i = 0; i < pages; i++)
		for (o = 0; o < (size_t)page_size; o++)
			if (mem[i * page_size + o] != pattern(i, o))
				bad++;
	printf("memload: read back %zu pages, %zu bad bytes\n", pages, bad);

	if (bad)
		return 1;
	/* Most of it must really have left memory. */
	if (swapped < (long long)(size / 1024) * min_pct / 100) {
		printf("memload: FAIL only %lld of %zu kB swapped out\n", swapped, size / 1024);
		return 1;
	}
	if ((check_zswap || zram) && after - before < (long long)size / 10) {
		printf("memload: FAIL %s grew by %lld bytes, less than a tenth of %zu\n",
		       path, after - before, size);
		return 1;
	}
	printf("memload: ok\n");
	return 0;
}
