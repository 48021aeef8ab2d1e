# SPDX-License-Identifier: GPL-2.0
# scripts/bench lockstat: what the free path does with zsmalloc's locks,
# from /proc/lock_stat (a kernel with CONFIG_LOCK_STAT: scripts/bench -c
# test+lockstat).  One process maps zs.mib= MiB (default 128), fills it and
# pushes it to swap (tools/munmapbench.c), then unmaps it, which frees every
# zsmalloc object behind its swap entries; /proc/lock_stat is cleared right
# before the unmap and read right after, so it holds the free path alone.
# For each back end (zram, and zswap in front of zram):
#   ZSBENCH lockstat-<backend>-objects N       objects freed (stored before)
#   ZSBENCH lockstat-<backend>-migrate_lock N  acquisitions of pool->migrate_lock
#                                              (pool->lock in 7.x)
#   ZSBENCH lockstat-<backend>-class_lock N    acquisitions of class->lock
#   ZSBENCH lockstat-<backend>-class_lock-hold-avg-us T  its mean hold time
# (lock_stat's times are in microseconds; under TCG they are slow, compare
# them between the two kernels only).
. /tests/lib.sh
echo 5 > /proc/sys/kernel/printk

mib=128
for arg in $(cat /proc/cmdline); do
	case $arg in zs.mib=*) mib=${arg#zs.mib=} ;; esac
done
[ -e /proc/lock_stat ] || { result bench-lockstat/setup FAIL "no /proc/lock_stat (CONFIG_LOCK_STAT)"; exit 0; }
setup_swap || { result bench-lockstat/setup FAIL "no swap"; exit 0; }
zswap=/sys/module/zswap/parameters
echo 1 > /proc/sys/kernel/lock_stat

# lock_field CLASS FIELD: the sum over lock_stat's lines of CLASS (its
# -R and -W lines for an rwlock) of FIELD, counted after the colon
# (8: acquisitions, 11: total hold time).
lock_field() {
	awk -v c="$1" -v f="$2" '{ n = $1; sub(/-[RW]:$/, ":", n) }
		n == c ":" { s += $(f + 1) } END { printf "%.2f\n", s }' /tmp/lock_stat
}

for backend in zram zswap; do
	if [ $backend = zram ]; then echo N > $zswap/enabled; else echo Y > $zswap/enabled; fi
	sync; echo 3 > /proc/sys/vm/drop_caches
	out=$(munmapbench -n 1 -m "$mib" \
		-b "cat /sys/block/$ZRAM_SWAP/mm_stat > /tmp/mm_stat; cat /sys/kernel/debug/zswap/stored_pages > /tmp/stored; echo 0 > /proc/lock_stat" \
		-a "cat /proc/lock_stat > /tmp/lock_stat" 2>&1) ||
		{ echo "$out"; result bench-lockstat/$backend FAIL "munmapbench"; continue; }
	echo "$out" | sed "s/^/  $backend: /"
	if [ $backend = zram ]; then
		objs=$(awk '{ print $0 }' /tmp/mm_stat | awk '{ print $1 }')
		# mm_stat's first field is bytes of original data: pages
		objs=$((objs / 4096))
	else
		objs=$(cat /tmp/stored)
	fi
	grep -E 'migrate_lock|class->lock|pool->lock' /tmp/lock_stat | sed 's/^/  /'
	# pool->migrate_lock is pool->lock in 7.x
	ml=$(awk -v a="$(lock_field '&pool->migrate_lock' 8)" -v b="$(lock_field '&pool->lock' 8)" 'BEGIN { printf "%.0f", a + b }')
	cl=$(lock_field '&class->lock' 8)
	ht=$(lock_field '&class->lock' 11)
	echo "ZSBENCH lockstat-$backend-objects $objs objects"
	echo "ZSBENCH lockstat-$backend-migrate_lock $ml acquisitions"
	echo "ZSBENCH lockstat-$backend-class_lock $cl acquisitions"
	echo "ZSBENCH lockstat-$backend-class_lock-hold-avg-us $(awk -v t="$ht" -v n="$cl" 'BEGIN { printf "%.3f", n ? t / n : 0 }') us"
	result bench-lockstat/$backend PASS
done
echo Y > $zswap/enabled
