# SPDX-License-Identifier: GPL-2.0
# scripts/bench zram: zram's memory footprint for a fixed dataset.  The same
# data (tools/zsbench.c "fill": same-filled, compressible and incompressible
# pages in a fixed pattern) is written to a zram block device in the same
# order on every run; then its mm_stat and the slab caches of its zsmalloc
# pool (zspage-<dev>, zs_handle-<dev> in /proc/slabinfo; 7.x: the global
# zspage, zs_handle caches) are reported; again
# ("-freed") once every third page is overwritten with zeros (zram frees
# those objects: holes in the zspages), and again ("-compacted") after
# zram's compaction.  With the same kernel the figures repeat run
# to run; between two kernels a difference is bytes the kernel added or
# saved, not noise (except slab-delta-kB: all of the kernel's slab, which
# other activity in the guest moves too).
#
# Kernel command line (scripts/bench -a): zs.bench_zram_mib= (default 64).
. /tests/lib.sh
# Kernel messages below KERN_WARNING off the console: an info line landing
# in the middle of a ZSBENCH line would spoil it (warnings and worse still
# show, and scripts/vm still fails on them).
echo 5 > /proc/sys/kernel/printk

mib=64
for arg in $(cat /proc/cmdline); do
	case $arg in zs.bench_zram_mib=*) mib=${arg#*=} ;; esac
done
dev=$ZRAM_SWAP
bad() { result bench/zram FAIL "$*"; exit 0; }

[ -r /proc/slabinfo ] || bad "no /proc/slabinfo (CONFIG_SLUB_DEBUG)"
[ -e /sys/block/$dev ] || cat /sys/class/zram-control/hot_add >/dev/null
echo lzo > /sys/block/$dev/comp_algorithm || bad "comp_algorithm"
echo $((mib * 4))M > /sys/block/$dev/disksize || bad "disksize"

# A slab cache's line in /proc/slabinfo ("name active_objs num_objs objsize
# objperslab pagesperslab : tunables ... : slabdata active_slabs num_slabs
# sharedavail") as "objsize active_objs bytes"; 4 KiB pages (x86).
slab() {
	awk -v n="$1" '$1 == n { print $4, $2, $15 * $6 * 4096; f = 1 } END { exit !f }' /proc/slabinfo
}
slab_kb() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }

# 6.12 gives each pool caches of its own; 7.x has global ones (zspage,
# zs_handle), which zram's pool then has to itself when zswap holds
# nothing, as here.
zsp_cache=zspage-$dev h_cache=zs_handle-$dev
if ! slab $zsp_cache >/dev/null && slab zspage >/dev/null; then
	zsp_cache=zspage h_cache=zs_handle
	echo "bench-zram: no caches per pool: the global zspage and zs_handle caches"
	[ "$(cat /sys/module/zswap/parameters/enabled 2>/dev/null)" != Y ] ||
		echo N > /sys/module/zswap/parameters/enabled
fi
slab $zsp_cache >/dev/null || bad "no $zsp_cache line in /proc/slabinfo (merged cache?)"
slab $h_cache >/dev/null || bad "no $h_cache line in /proc/slabinfo"

# report SUFFIX: the footprint figures, keys ending in SUFFIX (the ones
# that cannot change after the first write only without one).
report() {
	sfx=$1
	# mm_stat: orig_data_size compr_data_size mem_used_total mem_limit
	# mem_used_max same_pages pages_compacted huge_pages [huge_pages_since]
	read -r orig compr used limit usedmax same compacted huge rest < /sys/block/$dev/mm_stat
	echo "bench-zram: $dev mm_stat$sfx: $(cat /sys/block/$dev/mm_stat)"
	grep -E "^($zsp_cache|$h_cache) " /proc/slabinfo
	set -- $(slab $zsp_cache)
	zsp_size=$1 zsp_objs=$2 zsp_bytes=$3
	set -- $(slab $h_cache)
	h_size=$1 h_objs=$2 h_bytes=$3
	if [ -z "$sfx" ]; then
		echo "ZSBENCH zram-orig-data$sfx $orig bytes"
		echo "ZSBENCH zram-same-pages$sfx $same pages"
		echo "ZSBENCH zram-huge-pages$sfx $huge pages"
		echo "ZSBENCH zspage-objsize$sfx $zsp_size bytes"
		echo "ZSBENCH zs_handle-objsize$sfx $h_size bytes"
	fi
	echo "ZSBENCH zram-compr-data$sfx $compr bytes"
	echo "ZSBENCH zram-mem-used$sfx $used bytes"
	echo "ZSBENCH zspage-objs$sfx $zsp_objs objects"
	echo "ZSBENCH zspage-slab$sfx $zsp_bytes bytes"
	echo "ZSBENCH zs_handle-slab$sfx $h_bytes bytes"
	echo "ZSBENCH zram-pool-total$sfx $((used + zsp_bytes + h_bytes)) bytes"
}

# The dataset, written in order.
echo 3 > /proc/sys/vm/drop_caches
s0=$(slab_kb)
zsbench fill -d /dev/$dev -m $mib || bad "zsbench fill exit $?"
s1=$(slab_kb)
cat /sys/kernel/debug/zsmalloc/$dev/classes 2>/dev/null
report ""
echo "ZSBENCH slab-delta-kB $((s1 - s0)) kB"
# Every third page overwritten with zeros: a third of the objects freed,
# holes in the zspages.
zsbench fill -d /dev/$dev -m $mib -e 3 || bad "zsbench fill -e 3 exit $?"
report "-freed"
# zram's compaction fills the holes.
echo 1 > /sys/block/$dev/compact
read -r orig compr used limit usedmax same compacted huge rest < /sys/block/$dev/mm_stat
echo "ZSBENCH zram-pages-compacted $compacted pages"
report "-compacted"
result bench/zram PASS
