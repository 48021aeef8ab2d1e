// SPDX-License-Identifier: GPL-2.0
/*
 * zsbench: the guest-side workloads of scripts/bench.  Prints its figures
 * as "ZSBENCH <key> <value> <unit>" lines; exits 1 when the workload did
 * not do what it must (data read back wrong, too little of it swapped),
 * never because of a figure.
 *
 *   zsbench zswap -c CGROUP [-m MIB] [-x MAXMIB] [-n READS]
 *
 *	In CGROUP (cgroup v2 directory; this process moves into it), with
 *	memory.max set to MAXMIB (default MIB/2; the compressed
 *	copies in zswap are charged to it too): fill MIB of anonymous
 *	memory, so that reclaim stores most of it in zswap as it goes, and
 *	MADV_PAGEOUT the rest ("zswap-store"); read memory.stat and
 *	memory.numa_stat READS times each while it is all in zswap; then,
 *	memory.max back to "max", read every page back and check it
 *	("zswap-load").  A second round, all resident now: MADV_PAGEOUT of
 *	everything ("zswap-pageout") and reading it back ("zswap-fault").
 *
 *   zsbench fill -d BLOCKDEV [-m MIB] [-e N]
 *
 *	Write MIB of a fixed dataset to BLOCKDEV with O_DIRECT, page by page
 *	in order, and read it back to check it.  Pages range from same-filled
 *	through compressible to incompressible, in a fixed pattern, so that
 *	the whole range of zsmalloc's size classes is used.  The same data,
 *	the same order, every run.  With -e N, overwrite every Nth page of
 *	it (0, N, 2N, ...) with zeros instead (zram frees their objects and
 *	keeps them as same-filled pages), and check all of it again.
 *
 *   zsbench hog -m MIB
 *
 *	Take MIB of memory, mlocked (so that reclaim cannot take it), print
 *	"zsbench: holding" and wait to be killed: leaves the node it runs on
 *	nearly without free memory, so that allocations fall back to another.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "zsutil.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define NR_TEMPLATES 64

static long page_size;

static void fail(const char *msg)
{
	fprintf(stderr, "zsbench: FAIL %s\n", msg);
	exit(1);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void report(const char *key, double value, const char *unit)
{
	printf("ZSBENCH %s %.1f %s\n", key, value, unit);
	fflush(stdout);
}

static void write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		die(path);
	close(fd);
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 31;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 29;
	return h;
}

/*
 * A page that compresses to about a third (as tools/memload.c's): the
 * first quarter noise, the rest runs of 256 bytes.
 */
static void make_template(uint8_t *p, unsigned int t)
{
	long o;

	for (o = 0; o < page_size; o++) {
		if (o >= page_size / 4)
			p[o] = (uint8_t)(t + o / 256);
		else
			p[o] = (uint8_t)(mix(t * 0x9e3779b97f4a7c15ull + o) >> 56);
	}
}

/* Page i is template i % NR_TEMPLATES with i stamped at its start. */
static void fill_page(uint8_t *dst, const uint8_t *templates, size_t i)
{
	uint64_t stamp = i;

	memcpy(dst, templates + (i % NR_TEMPLATES) * page_size, page_size);
	memcpy(dst, &stamp, sizeof(stamp));
}

static size_t check_page(const uint8_t *src, const uint8_t *templates, size_t i)
{
	uint64_t stamp;

	memcpy(&stamp, src, sizeof(stamp));
	if (stamp != i)
		return 1;
	return memcmp(src + sizeof(stamp),
		      templates + (i % NR_TEMPLATES) * page_size + sizeof(stamp),
		      page_size - sizeof(stamp)) != 0;
}

/* open, read to the end, close: READS times; returns ms. */
static double read_loop(const char *path, long reads)
{
	static char buf[1 << 16];
	double t0 = now_ms();
	long i;

	for (i = 0; i < reads; i++) {
		int fd = open(path, O_RDONLY);
		ssize_t n;

		if (fd < 0)
			die(path);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			;
		if (n < 0)
			die(path);
		close(fd);
	}
	return now_ms() - t0;
}

static long long vm_event(const char *key)
{
	return read_key("/proc/vmstat", key);
}

/*
 * Name the phase that begins (prctl(PR_SET_NAME), as ps shows it): one
 * call into the kernel between phases, which scripts/profile uses to cut
 * its instruction counts into phases (the prctl entry is its mark).
 */
static void phase(const char *name)
{
	prctl(PR_SET_NAME, name, 0, 0, 0);
}

static int cmd_zswap(int argc, char **argv)
{
	const char *cg = NULL;
	size_t mib = 256, maxmib = 0, size, pages, i, bad;
	long reads = 10000;
	long long out0, out1, in0, in1, zswap_bytes, vmswap;
	double t, mb;
	uint8_t *mem, *templates;
	char path[4096], val[64], key[64];
	int opt;

	while ((opt = getopt(argc, argv, "c:m:x:n:")) != -1) {
		switch (opt) {
		case 'c': cg = optarg; break;
		case 'm': mib = strtoul(optarg, NULL, 0); break;
		case 'x': maxmib = strtoul(optarg, NULL, 0); break;
		case 'n': reads = strtol(optarg, NULL, 0); break;
		default: return 2;
		}
	}
	if (!cg || !mib) {
		fprintf(stderr, "usage: zsbench zswap -c CGROUP [-m MIB] [-x MAXMIB] [-n READS]\n");
		return 2;
	}
	if (!maxmib)
		maxmib = mib / 2;
	size = mib << 20;
	pages = size / page_size;
	mb = (double)size / (1 << 20);

	templates = malloc(NR_TEMPLATES * page_size);
	if (!templates)
		die("malloc");
	for (i = 0; i < NR_TEMPLATES; i++)
		make_template(templates + i * page_size, i);

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	write_file(path, "0");
	snprintf(path, sizeof(path), "%s/memory.max", cg);
	snprintf(val, sizeof(val), "%zu", maxmib << 20);
	write_file(path, val);

	mem = map_small_pages(size);

	/* Store: reclaim in the memcg puts pages into zswap as we fill. */
	phase("zsb-store");
	out0 = vm_event("zswpout");
	t = now_ms();
	for (i = 0; i < pages; i++)
		fill_page(mem + i * page_size, templates, i);
	if (madvise(mem, size, MADV_PAGEOUT))
		die("madvise(MADV_PAGEOUT)");
	t = now_ms() - t;
	out1 = vm_event("zswpout");
	vmswap = read_key("/proc/self/status", "VmSwap:");
	snprintf(path, sizeof(path), "%s/memory.stat", cg);
	zswap_bytes = read_key(path, "zswap");
	printf("zsbench: %zu MiB in a memcg with memory.max %zu MiB: zswpout +%lld, VmSwap %lld kB, memory.stat zswap %lld\n",
	       mib, maxmib, out1 - out0, vmswap, zswap_bytes);
	if (out1 - out0 < (long long)pages * 9 / 10)
		fail("fewer than 90% of the pages were stored in zswap");
	if (zswap_bytes <= 0)
		fail("memory.stat zswap is not positive with everything in zswap");
	report("zswap-store-ms", t, "ms");
	report("zswap-store-MBps", mb / (t / 1e3), "MB/s");

	/* The stat files of a memcg with all of its memory in zswap. */
	phase("zsb-stat");
	snprintf(key, sizeof(key), "memory.stat-x%ld-ms", reads);
	report(key, read_loop(path, reads), "ms");
	phase("zsb-numa_stat");
	snprintf(path, sizeof(path), "%s/memory.numa_stat", cg);
	snprintf(key, sizeof(key), "memory.numa_stat-x%ld-ms", reads);
	report(key, read_loop(path, reads), "ms");

	/* Load: fault every page back in and check it, no limit now. */
	snprintf(path, sizeof(path), "%s/memory.max", cg);
	write_file(path, "max");
	phase("zsb-load");
	in0 = vm_event("zswpin");
	t = now_ms();
	for (i = 0, bad = 0; i < pages; i++)
		bad += check_page(mem + i * page_size, templates, i);
	t = now_ms() - t;
	in1 = vm_event("zswpin");
	printf("zsbench: read back %zu pages, %zu bad, zswpin +%lld\n", pages, bad, in1 - in0);
	if (bad)
		fail("data read back differs");
	if (in1 - in0 < (long long)pages * 9 / 10)
		fail("fewer than 90% of the pages were loaded from zswap");
	report("zswap-load-ms", t, "ms");
	report("zswap-load-MBps", mb / (t / 1e3), "MB/s");

	/* Second round: everything resident; page it all out, fault it in. */
	phase("zsb-pageout");
	out0 = vm_event("zswpout");
	t = now_ms();
	if (madvise(mem, size, MADV_PAGEOUT))
		die("madvise(MADV_PAGEOUT)");
	t = now_ms() - t;
	out1 = vm_event("zswpout");
	if (out1 - out0 < (long long)pages * 9 / 10)
		fail("MADV_PAGEOUT stored fewer than 90% of the pages in zswap");
	report("zswap-pageout-ms", t, "ms");
	phase("zsb-fault");
	in0 = vm_event("zswpin");
	t = now_ms();
	for (i = 0, bad = 0; i < pages; i++)
		bad += check_page(mem + i * page_size, templates, i);
	t = now_ms() - t;
	in1 = vm_event("zswpin");
	if (bad)
		fail("data read back differs (second round)");
	if (in1 - in0 < (long long)pages * 9 / 10)
		fail("fewer than 90% of the pages were loaded from zswap (second round)");
	report("zswap-fault-ms", t, "ms");
	phase("zsb-end");
	munmap(mem, size);
	printf("zsbench: ok\n");
	return 0;
}

/*
 * Page i of the zram dataset: kind i % 16 says how much of it is noise
 * (0: a same-filled page, 15: all noise).  The noise is spread over the
 * page, the first kind/15 of every 256 bytes, the rest of them a run: LZ
 * compressors skip ahead faster the longer they find no match, so a page
 * with all of its noise up front would compress worse than its share.
 */
static void dataset_page(uint8_t *p, size_t i)
{
	unsigned int kind = (i * 7) % 16;
	long o, noise = kind * 256 / 15;
	uint64_t h = mix(i + 1);

	if (kind == 0) {
		memset(p, (int)(i & 0xff), page_size);
		return;
	}
	for (o = 0; o < page_size; o++) {
		if (o % 256 < noise) {
			if (!(o & 7))
				h = mix(h + o);
			p[o] = (uint8_t)(h >> (8 * (o & 7)));
		} else {
			p[o] = (uint8_t)(i + o / 256);
		}
	}
}

/* Read the device back: page i is the dataset's, or zeros if "every". */
static size_t check_dev(int fd, size_t pages, size_t every)
{
	uint8_t *buf, *want;
	size_t i, bad = 0;

	if (posix_memalign((void **)&buf, page_size, page_size) ||
	    posix_memalign((void **)&want, page_size, page_size))
		die("posix_memalign");
	for (i = 0; i < pages; i++) {
		if (pread(fd, buf, page_size, (off_t)i * page_size) != page_size)
			die("pread");
		if (every && i % every == 0)
			memset(want, 0, page_size);
		else
			dataset_page(want, i);
		bad += memcmp(buf, want, page_size) != 0;
	}
	free(buf);
	free(want);
	return bad;
}

static int cmd_fill(int argc, char **argv)
{
	const char *dev = NULL;
	size_t mib = 64, pages, i, bad, every = 0;
	uint8_t *buf;
	double t;
	int fd, opt;

	while ((opt = getopt(argc, argv, "d:m:e:")) != -1) {
		switch (opt) {
		case 'd': dev = optarg; break;
		case 'm': mib = strtoul(optarg, NULL, 0); break;
		case 'e': every = strtoul(optarg, NULL, 0); break;
		default: return 2;
		}
	}
	if (!dev || !mib) {
		fprintf(stderr, "usage: zsbench fill -d BLOCKDEV [-m MIB] [-e N]\n");
		return 2;
	}
	pages = (mib << 20) / page_size;
	if (posix_memalign((void **)&buf, page_size, page_size))
		die("posix_memalign");
	fd = open(dev, O_RDWR | O_DIRECT);
	if (fd < 0)
		die(dev);
	t = now_ms();
	for (i = 0; i < pages; i++) {
		if (every) {
			/* -e N: overwrite every Nth page with zeros. */
			if (i % every)
				continue;
			memset(buf, 0, page_size);
		} else {
			dataset_page(buf, i);
		}
		if (pwrite(fd, buf, page_size, (off_t)i * page_size) != page_size)
			die("pwrite");
	}
	if (fsync(fd))
		die("fsync");
	t = now_ms() - t;
	bad = check_dev(fd, pages, every);
	close(fd);
	printf("zsbench: wrote %s %zu pages to %s in %.1f ms, read back: %zu bad\n",
	       every ? "zeros over every Nth of" : "the dataset,", pages, dev, t, bad);
	if (bad)
		fail("data read back differs");
	printf("zsbench: ok\n");
	return 0;
}

static int cmd_hog(int argc, char **argv)
{
	size_t mib = 0, size, i;
	uint8_t *mem;
	int opt;

	while ((opt = getopt(argc, argv, "m:")) != -1) {
		switch (opt) {
		case 'm': mib = strtoul(optarg, NULL, 0); break;
		default: return 2;
		}
	}
	if (!mib) {
		fprintf(stderr, "usage: zsbench hog -m MIB\n");
		return 2;
	}
	size = mib << 20;
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	if (mlock(mem, size))
		die("mlock");
	for (i = 0; i < size; i += page_size)
		mem[i] = 1;
	printf("zsbench: holding %zu MiB\n", mib);
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	page_size = sysconf(_SC_PAGESIZE);
	if (argc >= 2 && !strcmp(argv[1], "zswap"))
		return cmd_zswap(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "fill"))
		return cmd_fill(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "hog"))
		return cmd_hog(argc - 1, argv + 1);
	fprintf(stderr, "usage: zsbench zswap -c CGROUP [-m MIB] [-x MAXMIB] [-n READS]\n"
			"       zsbench fill -d BLOCKDEV [-m MIB] [-e N]\n"
			"       zsbench hog -m MIB\n");
	return 2;
}
