# SPDX-License-Identifier: GPL-2.0
# scripts/bench zswap: zswap store and load in a memcg, and reading the
# memcg's memory.stat and memory.numa_stat with its memory in zswap.
# Prints "ZSBENCH <key> <value> <unit>" lines (tools/zsbench.c); a failed
# workload prints a ZSTEST FAIL line, and scripts/bench fails the run.
#
# The workload runs zs.bench_reps= times (default 3), each time in a fresh
# memcg, and every repetition prints its keys: scripts/bench takes the
# median of a key's values in one run.
#
# Kernel command line (scripts/bench -a): zs.bench_mib= (default 256),
# zs.bench_max_mib= (memory.max while storing, default half of it),
# zs.bench_reads= (default 10000), zs.bench_reps= (default 3).
. /tests/lib.sh
# Kernel messages below KERN_WARNING off the console: an info line landing
# in the middle of a ZSBENCH line would spoil it (warnings and worse still
# show, and scripts/vm still fails on them).
echo 5 > /proc/sys/kernel/printk

mib=256 maxmib= reads=10000 reps=3
for arg in $(cat /proc/cmdline); do
	case $arg in
	zs.bench_mib=*) mib=${arg#*=} ;;
	zs.bench_max_mib=*) maxmib=${arg#*=} ;;
	zs.bench_reads=*) reads=${arg#*=} ;;
	zs.bench_reps=*) reps=${arg#*=} ;;
	esac
done
[ -n "$maxmib" ] || maxmib=$((mib / 2))

setup_swap || { result bench/zswap FAIL "no zram swap"; exit 0; }
echo Y > /sys/module/zswap/parameters/enabled
echo "bench-zswap: $mib MiB, memory.max $maxmib MiB, $reads reads;" \
	"zswap $(cat /sys/module/zswap/parameters/compressor)/$(cat /sys/module/zswap/parameters/zpool)"
r=0
while [ $r -lt "$reps" ]; do
	r=$((r + 1))
	echo "bench-zswap: repetition $r of $reps"
	cg=$(new_memcg bench-zswap) || { result bench/zswap FAIL "no memcg"; exit 0; }
	# Run on CPU 0 (node 0): the same placement on both kernels.
	taskset 1 zsbench zswap -c "$cg" -m "$mib" -x "$maxmib" -n "$reads"
	rc=$?
	zsstat "$cg" | grep -E 'memory.stat: (zswap|zswpout|zswpin)'
	drop_memcg "$cg"
	[ $rc -eq 0 ] || { result bench/zswap FAIL "zsbench exit $rc in repetition $r"; exit 0; }
done
result bench/zswap PASS
