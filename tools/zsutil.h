/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the guest programs in tools/. */
#ifndef ZSUTIL_H
#define ZSUTIL_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
