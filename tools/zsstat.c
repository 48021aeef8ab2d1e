// SPDX-License-Identifier: GPL-2.0
/*
 * zsstat: print the zswap, zswapped and swap lines of a cgroup's memory.stat
 * and memory.numa_stat, of /proc/vmstat and of every node's vmstat, and the
 * zram devices' mm_stat.
 *
 *   zsstat [CGROUP...]
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

static int wanted(const char *line)
{
	return !strncmp(line, "zswap", 5) || !strncmp(line, "zswp", 4) ||
	       !strncmp(line, "pswp", 4) || !strncmp(line, "swap", 4);
}

static void show(const char *path, int all)
{
	char line[4096];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (all || wanted(line))
			printf("%s: %s", path, line);
	fclose(f);
}

int main(int argc, char **argv)
{
	char path[4096];
	struct dirent *d;
	DIR *dir;
	int i;

	for (i = 1; i < argc; i++) {
		snprintf(path, sizeof(path), "%s/memory.stat", argv[i]);
		show(path, 0);
		snprintf(path, sizeof(path), "%s/memory.numa_stat", argv[i]);
		show(path, 0);
	}
	show("/proc/vmstat", 0);
	dir = opendir("/sys/devices/system/node");
	while (dir && (d = readdir(dir))) {
		if (strncmp(d->d_name, "node", 4) || !d->d_name[4] ||
		    d->d_name[4] < '0' || d->d_name[4] > '9')
			continue;
		snprintf(path, sizeof(path), "/sys/devices/system/node/%s/vmstat", d->d_name);
		show(path, 0);
	}
	if (dir)
		closedir(dir);
	dir = opendir("/sys/block");
	while (dir && (d = readdir(dir))) {
		if (strncmp(d->d_name, "zram", 4))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/mm_stat", d->d_name);
		show(path, 1);
	}
	if (dir)
		closedir(dir);
	return 0;
}
