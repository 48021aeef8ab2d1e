# SPDX-License-Identifier: GPL-2.0
# The guest side of the demo: show the two nodes, then zswap and zram at work.
. /tests/lib.sh

echo "== NUMA =="
for d in /sys/devices/system/node/node[0-9]*; do
	echo "${d##*/}: cpus $(cat $d/cpulist), $(grep MemTotal $d/meminfo | sed 's/.*MemTotal: *//')"
done
setup_swap
echo "zswap: enabled=$(cat /sys/module/zswap/parameters/enabled)" \
	"compressor=$(cat /sys/module/zswap/parameters/compressor)" \
	"zpool=$(cat /sys/module/zswap/parameters/zpool)"

hold() {
	rm -f /tmp/hold.out
	"$@" -k > /tmp/hold.out &
	pid=$!
	while ! grep -q holding /tmp/hold.out 2>/dev/null; do sleep 1; done
	cat /tmp/hold.out
}

echo "== zswap: 64 MiB of a memcg's memory paged out =="
cg=$(new_memcg demo)
echo Y > /sys/module/zswap/parameters/enabled
hold memload -c "$cg" -m 64 -z
zsstat "$cg"
kill $pid; wait $pid 2>/dev/null
drop_memcg "$cg"

echo "== zram: the same with zswap off, straight to zram swap =="
echo N > /sys/module/zswap/parameters/enabled
hold memload -m 64 -r $ZRAM_SWAP
echo "/sys/block/$ZRAM_SWAP/mm_stat: $(cat /sys/block/$ZRAM_SWAP/mm_stat)"
echo "  (orig_data_size compr_data_size mem_used_total mem_limit mem_used_max same_pages pages_compacted huge_pages)"
kill $pid; wait $pid 2>/dev/null
echo Y > /sys/module/zswap/parameters/enabled
