# SPDX-License-Identifier: GPL-2.0
# The guest side of scripts/demo: what the series does, shown in a few
# tables that a reviewer reads in a minute.
#   1. two memcgs, one on each node's CPU, put memory into zswap: each
#      memcg's zswap bytes per node (memory.numa_stat) beside each node's
#      own counters (nodeN/vmstat);
#   2. node 1's memory goes offline: its zsmalloc pages migrate to node 0,
#      the bytes follow them, the totals stay; the data reads back intact;
#      node 1 comes online again;
#   3. zram's figures.
# Step headings start with "== " (scripts/vm shows the last one as the
# guest's phase), a conclusion after each with "=> ".  The last line is
# "ZSDEMO: ok" or "ZSDEMO: FAIL <what was not as expected>" (for
# scripts/demo, which prints the rest).
. /tests/lib.sh

MIB=48
NODES=/sys/devices/system/node
CGA=demo-a CGB=demo-b
problems=

# Something not as expected: said where it happens, and summed up at the end.
unexpected() {
	say "NOT AS EXPECTED: $*"
	problems="$problems${problems:+; }$*"
}

# BYTES as "0 B", "12.0 KiB", "13.5 MiB" or "1.0 GiB"; "-" when empty.
# With a second argument, the first is a number of pages of that size.
hb() {
	awk -v b="$1" -v unit="${2:-1}" 'BEGIN {
		if (b == "") { print "-"; exit }
		b *= unit
		if (b < 1024) printf "%d B\n", b
		else if (b < 1048576) printf "%.1f KiB\n", b / 1024
		else if (b < 1073741824) printf "%.1f MiB\n", b / 1048576
		else printf "%.1f GiB\n", b / 1073741824 }'
}
# The share PART of WHOLE, in per cent (floor, one decimal).
pct() { awk -v p="${1:-0}" -v w="$2" 'BEGIN { printf "%.1f%%\n", (w > 0 ? int(p * 1000 / w) / 10 : 0) }'; }
# A conclusion: "=> TEXT", its words wrapped at 78 columns.
say() {
	echo "=> $*" | awk '{ n = split($0, w, " "); line = w[1]
		for (i = 2; i <= n; i++)
			if (length(line) + 1 + length(w[i]) > 78) { print line; line = "   " w[i] }
			else line = line " " w[i]
		print line }'
}
# The value of "KEY value" in a flat stat file.
sval() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
# The N<NODE>= value of KEY's line in a memory.numa_stat, empty when the
# node is not listed (numa_stat lists the nodes that have memory).
nval() {
	awk -v k="$2" -v n="N$3" '$1 == k { for (i = 2; i <= NF; i++) {
		split($i, a, "="); if (a[1] == n) { print a[2]; exit } } }' "$1"
}
cpus_of() { cat $NODES/node$1/cpulist; }
mib_of() { awk '/MemTotal/ { printf "%d MiB\n", $4 / 1024 }' $NODES/node$1/meminfo; }

# The table of step 1 and 2: per node, each memcg's zswap and zswapped
# (memory.numa_stat), and the node's zswap_b, zswapped_b and nr_zspages
# (nodeN/vmstat); the last row the totals (memory.stat, /proc/vmstat).
table() {
	echo 1 > /proc/sys/vm/stat_refresh 2>/dev/null
	f=' %-6s | %8s %8s | %8s %8s | %8s %10s %8s\n'
	printf ' %-6s | %-17s | %-17s | %s\n' "" "memcg $CGA" "memcg $CGB" "the node's vmstat"
	printf "$f" "" zswap zswapped zswap zswapped zswap_b zswapped_b zspages
	echo " -------+-------------------+-------------------+-----------------------------"
	for n in 0 1; do
		v=$NODES/node$n/vmstat
		printf "$f" "node $n" \
			"$(hb "$(nval $A/memory.numa_stat zswap $n)")" \
			"$(hb "$(nval $A/memory.numa_stat zswapped $n)")" \
			"$(hb "$(nval $B/memory.numa_stat zswap $n)")" \
			"$(hb "$(nval $B/memory.numa_stat zswapped $n)")" \
			"$(hb "$(sval $v zswap_b)")" "$(hb "$(sval $v zswapped_b)")" \
			"$(hb "$(sval $v nr_zspages)" 4096)"
	done
	printf "$f" total \
		"$(hb "$(sval $A/memory.stat zswap)")" "$(hb "$(sval $A/memory.stat zswapped)")" \
		"$(hb "$(sval $B/memory.stat zswap)")" "$(hb "$(sval $B/memory.stat zswapped)")" \
		"$(hb "$(sval /proc/vmstat zswap_b)")" "$(hb "$(sval /proc/vmstat zswapped_b)")" \
		"$(hb "$(sval /proc/vmstat nr_zspages)" 4096)"
	grep -q 'N1=' $A/memory.numa_stat ||
		echo " (\"-\": node 1 has no memory, so memory.numa_stat lists no N1)"
}

# memload -k in memcg $2 on the CPUs of mask $1, until it holds $MIB MiB
# swapped out; its pid in $pid, its output in /tmp/$3.out.
hold() {
	rm -f /tmp/$3.out
	taskset "$1" memload -k -c "$2" -m $MIB -z > /tmp/$3.out 2>&1 &
	pid=$!
	while ! grep -q holding /tmp/$3.out 2>/dev/null; do
		kill -0 $pid 2>/dev/null || { cat /tmp/$3.out; return 1; }
		sleep 1
	done
}

# Wait (3 s at most) for a memcg's memory.stat zswap and zswapped to read
# "$2 $3": a stats flush may lag a moment behind.
totals_are() {
	i=0
	while [ "$(sval $1/memory.stat zswap) $(sval $1/memory.stat zswapped)" != "$2 $3" ]; do
		i=$((i + 1)); [ $i -le 3 ] || return 1
		sleep 1
	done
}

echo "================================================================================"
echo " zsmalloc/zswap series: zswap's memory counted per node and per memory cgroup"
echo "================================================================================"
echo "$(uname -r) on two NUMA nodes: node 0 has CPU $(cpus_of 0) and $(mib_of 0), node 1 has"
echo "CPU $(cpus_of 1) and $(mib_of 1) (hot-plugged, movable: it can go offline).  zswap compresses"
echo "with $(cat /sys/module/zswap/parameters/compressor) into zsmalloc; zram0 is the swap device behind it."
echo
echo "What you will see:"
echo " 1. Two memcgs, $CGA on node 0's CPU and $CGB on node 1's, put $MIB MiB each"
echo "    into zswap.  Each memcg's zswap bytes are counted per node (its"
echo "    memory.numa_stat, which has no zswap lines without the series), beside"
echo "    each node's own counters."
echo " 2. Node 1's memory goes offline: its zsmalloc pages migrate to node 0 and the"
echo "    bytes move with them, the totals unchanged; the data reads back intact."
echo " 3. zram, the other user of zsmalloc: its figures and compression ratio."
echo "zswap = compressed bytes in zswap, zswapped = the original bytes they hold;"
echo "zspages = the memory of the node's zsmalloc pages (vmstat nr_zspages x 4 KiB)."

setup_swap || { echo "ZSDEMO: FAIL no zram swap"; exit 0; }
echo Y > /sys/module/zswap/parameters/enabled
A=$(new_memcg $CGA) B=$(new_memcg $CGB)

echo
echo "== 1/3: $CGA on node 0's CPU, $CGB on node 1's, $MIB MiB each into zswap"
# taskset masks: the first CPU of each node.
hold $((1 << $(cpus_of 0 | sed 's/[-,].*//'))) "$A" a || { echo "ZSDEMO: FAIL memload in $CGA did not hold its memory"; exit 0; }
pa=$pid
hold $((1 << $(cpus_of 1 | sed 's/[-,].*//'))) "$B" b || { echo "ZSDEMO: FAIL memload in $CGB did not hold its memory"; exit 0; }
pb=$pid
table
za=$(sval $A/memory.stat zswap) zda=$(sval $A/memory.stat zswapped)
zb=$(sval $B/memory.stat zswap) zdb=$(sval $B/memory.stat zswapped)
a0=$(nval $A/memory.numa_stat zswap 0) a1=$(nval $A/memory.numa_stat zswap 1)
b0=$(nval $B/memory.numa_stat zswap 0) b1=$(nval $B/memory.numa_stat zswap 1)
n0=$(sval $NODES/node0/vmstat zswap_b) n1=$(sval $NODES/node1/vmstat zswap_b)
# Nearly all (90%) of a memcg's bytes are expected on its CPU's node (see
# below for the rest).
if [ -z "$a0$a1$b0$b1" ] || [ -z "$n0$n1" ]; then
	unexpected "no per-node zswap counters (memory.numa_stat zswap lines, nodeN/vmstat zswap_b)"
elif [ "$zda" != $((MIB << 20)) ] || [ "$zdb" != $((MIB << 20)) ]; then
	unexpected "zswapped is not the $MIB MiB each memcg swapped out ($zda, $zdb)"
elif [ $((a0 * 10)) -lt $((za * 9)) ] || [ $((b1 * 10)) -lt $((zb * 9)) ]; then
	unexpected "the bytes are not on the CPU's node ($CGA: $a0 of $za on node 0, $CGB: $b1 of $zb on node 1)"
elif [ "$n0" != $((a0 + b0)) ] || [ "$n1" != $((a1 + b1)) ]; then
	unexpected "the nodes' zswap_b ($n0, $n1) are not the memcgs' sums ($((a0 + b0)), $((a1 + b1)))"
else
	# zsmalloc's pages are shared by the memcgs: the last, part-filled
	# zspage of a size class that A (which runs first) began on node 0
	# takes B's first objects of that size.
	ra= rb=
	[ "${a1:-0}" = 0 ] || ra=", the other $(hb $a1) on node 1"
	[ "${b0:-0}" = 0 ] || rb=", the other $(hb $b0) on node 0, in zsmalloc pages that $CGA had begun there (zsmalloc shares its pages among memcgs)"
	say "Each memcg's bytes are counted on the node of its CPU: $CGA's $(hb $za)" \
		"of zswap (holding $(hb $zda)): $(pct $a0 $za) on node 0$ra;" \
		"$CGB's $(hb $zb): $(pct $b1 $zb) on node 1$rb." \
		"Each node's zswap_b is the sum of the memcgs' bytes there."
fi

echo
echo "== 2/3: node 1's memory offline: its zsmalloc pages migrate to node 0"
blocks=0
for m in $NODES/node1/memory[0-9]*; do
	i=0
	until echo offline > $m/state 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 5 ] || break
		sleep 1
	done
	if grep -q offline $m/state; then blocks=$((blocks + 1))
	else unexpected "${m##*/} does not go offline"; fi
done
table
a0=$(nval $A/memory.numa_stat zswap 0) b0=$(nval $B/memory.numa_stat zswap 0)
b1=$(nval $B/memory.numa_stat zswap 1) n1=$(sval $NODES/node1/vmstat zswap_b)
if ! totals_are $A "$za" "$zda" || ! totals_are $B "$zb" "$zdb"; then
	unexpected "the totals changed: $CGA $za $zda -> $(sval $A/memory.stat zswap) $(sval $A/memory.stat zswapped), $CGB $zb $zdb -> $(sval $B/memory.stat zswap) $(sval $B/memory.stat zswapped)"
elif [ "$a0" != "$za" ] || [ "$b0" != "$zb" ] || [ "${b1:-0}" != 0 ] || [ "$n1" != 0 ]; then
	unexpected "not all bytes on node 0 now ($CGA $a0 of $za, $CGB $b0 of $zb; node 1: $CGB ${b1:--}, zswap_b $n1)"
else
	say "Node 1's $blocks memory blocks are offline: $CGB's $(hb $zb) moved to node 0" \
		"with its zsmalloc pages, node 1 counts none, and both memcgs' totals" \
		"are unchanged to the byte."
fi
kill -USR1 $pa $pb
wait $pa; ra=$?
wait $pb; rb=$?
# "memload: read back 12288 pages, 0 bad bytes"
back() { sed -n 's/^memload: read back \(.*\)/\1/p' /tmp/$1.out; }
if [ $ra -eq 0 ] && [ $rb -eq 0 ]; then
	say "Data intact: every byte read back and checked ($CGA: $(back a);" \
		"$CGB: $(back b))."
else
	unexpected "memload: $CGA exit $ra ($(tail -n 1 /tmp/a.out)), $CGB exit $rb ($(tail -n 1 /tmp/b.out))"
fi
drop_memcg $A; drop_memcg $B
off=0
for m in $NODES/node1/memory[0-9]*; do
	grep -q online $m/state && continue
	echo online_movable > $m/state || off=$((off + 1))
done
if [ $off -eq 0 ]; then
	say "Node 1 is online again: $(mib_of 1)."
else
	unexpected "$off of node 1's memory blocks do not come online again"
fi

echo
echo "== 3/3: zram: $MIB MiB paged out to zram0 with zswap off"
echo N > /sys/module/zswap/parameters/enabled
rm -f /tmp/z.out
memload -k -m $MIB -r $ZRAM_SWAP > /tmp/z.out 2>&1 &
pz=$!
while ! grep -q holding /tmp/z.out 2>/dev/null; do
	kill -0 $pz 2>/dev/null || break
	sleep 1
done
set -- $(cat /sys/block/$ZRAM_SWAP/mm_stat)
alg=$(sed 's/.*\[\(.*\)\].*/\1/' /sys/block/$ZRAM_SWAP/comp_algorithm)
f='   %-16s %10s   %s\n'
printf "$f" "mm_stat field" "" "zram0 ($alg, $(hb $(cat /sys/block/$ZRAM_SWAP/disksize)) swap device)"
echo "   ------------------------------------------------------------"
printf "$f" orig_data_size "$(hb $1)" "the data stored"
printf "$f" compr_data_size "$(hb $2)" "its compressed size"
printf "$f" mem_used_total "$(hb $3)" "the zsmalloc memory holding it"
printf "$f" same_pages "$6" "pages of one repeated value (no data stored)"
printf "$f" huge_pages "${8:-0}" "pages that do not compress (stored whole)"
if [ "$1" -gt $(((MIB << 20) * 9 / 10)) ] && [ "$2" -gt 0 ] && [ "$3" -gt 0 ]; then
	say "zram holds $(hb $1) in $(hb $3) of zsmalloc memory: a compression ratio of" \
		"$(awk -v o=$1 -v c=$2 -v m=$3 'BEGIN { printf "%.2f (%.2f with zsmalloc'"'"'s own overhead)", o / c, o / m }')."
else
	unexpected "zram0 did not take the $MIB MiB: mm_stat $*"
fi
kill -USR1 $pz
wait $pz || unexpected "memload on zram: $(tail -n 1 /tmp/z.out)"
echo Y > /sys/module/zswap/parameters/enabled

echo
if [ -z "$problems" ]; then
	echo "ZSDEMO: ok"
else
	echo "ZSDEMO: FAIL $problems"
fi
