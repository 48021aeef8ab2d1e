# SPDX-License-Identifier: GPL-2.0
# Benchmark: concurrent munmap() of swapped-out memory (tools/munmapbench.c),
# the workload that zs_free() scalability is about.  N processes each map
# MIB MiB, fill it, push it to swap with MADV_PAGEOUT; then all of them
# unmap at once, freeing every zsmalloc object behind their swap entries.
#
# Two back ends, both on zsmalloc:
#   zram:  the zram swap device, zswap off;
#   zswap: zswap on, in front of the same zram swap device (the pages stay
#          in zswap's pool; zram only gets what zswap rejects).
# For N in 1 2 4 (the guest has 2 CPUs: 4 oversubscribes them) and TRIALS
# trials each, one line per measurement:
#   ZSBENCH munmap-<backend>-n<N> <wall ms> ms
#   ZSBENCH munmap-<backend>-n<N>-proc <mean per-process ms> ms
# (lower is better), the first from the first munmap() start to the last
# one's end.  Kernel command line: zs.trials= (default 5), zs.mib= (MiB
# per process, default 128: 4 x 128 MiB fits the 1 GiB zram device and
# node 0's 1536 MiB), zs.nprocs= (default "1 2 4", comma separated),
# zs.backends= (default "zram,zswap").
. /tests/lib.sh
# Kernel messages below KERN_WARNING off the console, as in bench-zswap.sh.
echo 5 > /proc/sys/kernel/printk

trials=5 mib=128 nprocs="1 2 4" backends="zram zswap"
for arg in $(cat /proc/cmdline); do
	case $arg in
	zs.trials=*) trials=${arg#zs.trials=} ;;
	zs.mib=*) mib=${arg#zs.mib=} ;;
	zs.nprocs=*) nprocs=$(echo "${arg#zs.nprocs=}" | tr , ' ') ;;
	zs.backends=*) backends=$(echo "${arg#zs.backends=}" | tr , ' ') ;;
	esac
done
setup_swap || { result bench-munmap/setup FAIL "no swap"; exit 0; }
zswap=/sys/module/zswap/parameters
for backend in $backends; do
	case $backend in
	zram|zswap) ;;
	*) result bench-munmap/setup FAIL "unknown back end '$backend' in zs.backends="; exit 0 ;;
	esac
done
echo "bench-munmap: $trials trials, $mib MiB per process, N in $nprocs, on $backends"

# One run: print the ZSBENCH lines; return non-zero on a failed run.
run() {
	backend=$1 n=$2 t=$3
	# Start from the same state: nothing in swap, free memory compacted.
	sync
	echo 3 > /proc/sys/vm/drop_caches
	echo 1 > /proc/sys/vm/compact_memory
	out=$(munmapbench -n "$n" -m "$mib" -s "$t" 2>&1)
	rc=$?
	echo "$out" | sed "s/^/  $backend n=$n trial $t: /"
	[ $rc -eq 0 ] || return 1
	line=$(echo "$out" | grep '^munmap procs=')
	wall=$(echo "$line" | sed -n 's/.*wall_ms=\([0-9.]*\).*/\1/p')
	mean=$(echo "$line" | sed -n 's/.*mean_ms=\([0-9.]*\).*/\1/p')
	[ -n "$wall" ] && [ -n "$mean" ] || return 1
	echo "ZSBENCH munmap-$backend-n$n $wall ms"
	echo "ZSBENCH munmap-$backend-n$n-proc $mean ms"
}

for backend in $backends; do
	if [ $backend = zram ]; then
		echo N > $zswap/enabled
	else
		echo Y > $zswap/enabled || { result bench-munmap/zswap SKIP "no zswap"; continue; }
	fi
	fails=0
	for n in $nprocs; do
		# Trials of the different N interleave less than they would in
		# blocks; a warm-up run first, not counted.
		[ "$n" = "${nprocs%% *}" ] && run $backend "$n" 0 > /dev/null
		t=1
		while [ $t -le "$trials" ]; do
			run $backend "$n" "$t" || fails=$((fails + 1))
			t=$((t + 1))
		done
	done
	grep -E 'stored_pages|pool_total_size' /sys/kernel/debug/zswap/* 2>/dev/null | sed 's/^/  /'
	echo "  zram mm_stat: $(cat /sys/block/$ZRAM_SWAP/mm_stat)"
	[ $fails -eq 0 ] && result bench-munmap/$backend PASS ||
		result bench-munmap/$backend FAIL "$fails failed runs"
done
echo Y > $zswap/enabled
