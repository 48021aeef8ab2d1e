/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the guest programs in tools/.  Include with
 * _GNU_SOURCE defined (program_invocation_short_name).
 */
#ifndef ZSUTIL_H
#define ZSUTIL_H

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void die(const char *msg)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, msg,
		strerror(errno));
	exit(1);
}

/*
 * An anonymous private mapping of "size" bytes that stays in small pages:
 * zswap stores small folios only (6.12), so keep THP out of the way.
 */
static void *map_small_pages(size_t size)
{
	void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED)
		die("mmap");
	if (madvise(mem, size, MADV_NOHUGEPAGE) && errno != EINVAL)
		die("madvise(MADV_NOHUGEPAGE)");
	return mem;
}

/* The value of "key" in a "key value" file, or -1. */
static long long read_key(const char *path, const char *key)
{
	char line[512];
	size_t len = strlen(key);
	long long val = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, len) && isspace((unsigned char)line[len])) {
			val = atoll(line + len + 1);
			break;
		}
	}
	fclose(f);
	return val;
}

#endif
