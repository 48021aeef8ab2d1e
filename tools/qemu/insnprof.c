// SPDX-License-Identifier: GPL-2.0
/*
 * insnprof: a QEMU TCG plugin that counts the guest instructions executed
 * per translation block, for scripts/profile.  Only blocks at kernel
 * addresses (the upper half) are counted; under -icount they are the
 * instructions that scripts/bench -I measures.
 *
 *   -plugin insnprof.so,out=PREFIX[,mark=HEXADDR]
 *
 * At exit it writes PREFIX.N, one line per block: "vaddr n_insns count".
 * With mark=, every execution of the block that starts at HEXADDR (the
 * entry of a kernel function) closes a phase: the counts so far go to
 * PREFIX.N and start again from zero, N counting up from 0.  The guest's
 * workload calls that function between its phases (tools/zsbench.c calls
 * prctl(PR_SET_NAME) at the start of each one).
 *
 * Built against include/qemu/qemu-plugin.h of the installed QEMU's own
 * source (scripts/profile fetches it).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

struct block {
	uint64_t vaddr;
	uint64_t n;
	uint64_t count;
};

#define TABLE_BITS 22
#define TABLE_SIZE (1UL << TABLE_BITS)
static struct block *table;
static unsigned long used;
static const char *prefix = "insnprof";
static uint64_t mark;
static unsigned int phase;
static int full;

static struct block *lookup(uint64_t vaddr, uint64_t n)
{
	uint64_t h = (vaddr * 0x9E3779B97F4A7C15ULL + n) >> (64 - TABLE_BITS);

	for (;;) {
		struct block *b = &table[h];

		if (!b->n) {
			b->vaddr = vaddr;
			b->n = n;
			used++;
			return b;
		}
		if (b->vaddr == vaddr && b->n == n)
			return b;
		h = (h + 1) & (TABLE_SIZE - 1);
	}
}

static void dump(void)
{
	char path[4096];
	unsigned long i;
	FILE *f;

	snprintf(path, sizeof(path), "%s.%u", prefix, phase++);
	f = fopen(path, "w");
	if (!f)
		return;
	if (full)
		fprintf(f, "# table full: blocks translated later were not counted\n");
	for (i = 0; i < TABLE_SIZE; i++) {
		if (!table[i].count)
			continue;
		fprintf(f, "%" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
			table[i].vaddr, table[i].n, table[i].count);
		table[i].count = 0;
	}
	fclose(f);
}

static void on_mark(unsigned int vcpu, void *data)
{
	dump();
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
	struct block *b;

	if (vaddr < 0xffff800000000000ULL)
		return;
	if (used >= TABLE_SIZE / 2) {
		full = 1;
		return;
	}
	b = lookup(vaddr, qemu_plugin_tb_n_insns(tb));
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &b->count, 1);
	if (mark && vaddr == mark)
		qemu_plugin_register_vcpu_tb_exec_cb(tb, on_mark,
						     QEMU_PLUGIN_CB_NO_REGS, NULL);
}

static void on_atexit(qemu_plugin_id_t id, void *data)
{
	dump();
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4))
			prefix = strdup(argv[i] + 4);
		else if (!strncmp(argv[i], "mark=", 5))
			mark = strtoull(argv[i] + 5, NULL, 16);
		else
			return -1;
	}
	table = calloc(TABLE_SIZE, sizeof(*table));
	if (!table)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
	return 0;
}
