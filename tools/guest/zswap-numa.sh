# SPDX-License-Identifier: GPL-2.0
# Part B's guest tests: zswap's per-node, per-memcg byte counters.
#   memory.stat         zswap <bytes>, zswapped <bytes>
#   memory.numa_stat    zswap N0=<bytes> N1=<bytes>, zswapped N0=... N1=...
#   /proc/vmstat and /sys/devices/system/node/nodeN/vmstat:
#                       zswap_b <bytes>, zswapped_b <bytes>
#
# zswap-numa/node1-*: a memcg stores data in zswap from node 1's CPU, so
#   the zsmalloc pages are on node 1; node 1's memory is offlined (page
#   migration moves those pages to node 0): its bytes must leave N1 and
#   show up on N0, the totals unchanged, the data intact; node 1 online
#   again; all back to 0 when the process has gone.
# zswap-numa/rmdir-*: a child memcg is removed with its objects still in
#   zswap (its task moved to a sibling first); the parent's counters stay
#   consistent and return to 0 once the data is freed.
# Everywhere: each node's zswap bytes in memory.numa_stat fit in the
#   zsmalloc pages that node holds (nr_zspages, counted apart from the byte
#   counters, as pages come and go), the global vmstat equals the sum of
#   the nodes' once the per-CPU diffs are folded (which the folding code
#   has to get right), zswapped is the number of stored pages times the
#   page size (zswap's own count), and nothing is negative.  (That the
#   nodes of memory.numa_stat add up to memory.stat proves nothing: one
#   update writes both.)
#
# On a kernel without these counters every test here fails (there is no
# zswap line in memory.numa_stat): that is the point.  Run alone as a mode
# (scripts/vm -m zswap-numa), or from check.sh with one line:
#   . /tests/zswap-numa.sh
. /tests/lib.sh

ZN_PAGE=4096
ZN_MIB=48
# A counter above this is a negative one printed unsigned (or garbage).
ZN_SANE=$((4 << 30))

# numa_val FILE KEY NODE: the N<NODE>= value of KEY's line in a numa_stat.
numa_val() {
	awk -v k="$2" -v n="N$3" '$1 == k { for (i = 2; i <= NF; i++) {
		split($i, a, "="); if (a[1] == n) { print a[2]; exit } } }' "$1"
}
# numa_sum FILE KEY: the sum over the nodes of KEY's line, empty if none.
numa_sum() {
	awk -v k="$2" '$1 == k { s = 0; for (i = 2; i <= NF; i++) {
		split($i, a, "="); s += a[2] } printf "%.0f\n", s; exit }' "$1"
}
# stat_val FILE KEY: the value of "KEY value" in a flat stat file.
stat_val() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }

zn_fail() { zn_why="$zn_why$*; "; echo "zswap-numa: $*"; return 1; }
# The reasons of the failed checks since the last result.
zn_why=
zn_result() {
	if [ "$2" = FAIL ]; then result "$1" FAIL "${3:+$3; }$zn_why"; else result "$1" PASS ${3:+"$3"}; fi
	zn_why=
}

# Every counter of a memcg (memory.stat and numa_stat, zswap and zswapped)
# is there and sane, and each node's zswap bytes fit in the zsmalloc pages
# of that node (after folding the per-CPU diffs of both).  Up to three
# reads a second apart, in case a stats flush fell between the files.
memcg_consistent() {
	cg=$1 try=0
	while :; do
		try=$((try + 1))
		ok=1 why=
		echo 1 > /proc/sys/vm/stat_refresh 2>/dev/null
		for k in zswap zswapped; do
			tot=$(stat_val "$cg/memory.stat" $k)
			[ -n "$tot" ] || { why="$why no $k in $cg/memory.stat;"; ok=0; continue; }
			grep -q "^$k " "$cg/memory.numa_stat" ||
				{ why="$why no $k line in $cg/memory.numa_stat;"; ok=0; continue; }
			for v in $tot $(awk -v k=$k '$1 == k { for (i = 2; i <= NF; i++) { split($i, a, "="); print a[2] } }' "$cg/memory.numa_stat"); do
				[ "$v" -le $ZN_SANE ] 2>/dev/null || { why="$why $k value $v out of range;"; ok=0; }
			done
		done
		for n in $(awk '$1 == "zswap" { for (i = 2; i <= NF; i++) { split($i, a, "="); print substr(a[1], 2) } }' "$cg/memory.numa_stat"); do
			v=$(numa_val "$cg/memory.numa_stat" zswap "$n")
			zp=$(stat_val /sys/devices/system/node/node$n/vmstat nr_zspages)
			[ -n "$zp" ] || { why="$why no nr_zspages for node $n;"; ok=0; continue; }
			[ "$v" -le $((zp * ZN_PAGE)) ] 2>/dev/null ||
				{ why="$why node $n: zswap $v but $zp zsmalloc pages;"; ok=0; }
		done
		[ $ok -eq 1 ] && return 0
		[ $try -ge 3 ] && { zn_fail "$cg:$why"; return 1; }
		sleep 1
	done
}

# The global vmstat counters equal the sum of the nodes' (after folding
# the per-CPU deltas).
vmstat_consistent() {
	try=0
	while :; do
		try=$((try + 1))
		echo 1 > /proc/sys/vm/stat_refresh 2>/dev/null
		ok=1 why=
		for k in zswap_b zswapped_b; do
			g=$(stat_val /proc/vmstat $k)
			[ -n "$g" ] || { why="$why no $k in /proc/vmstat;"; ok=0; continue; }
			s=0
			for n in /sys/devices/system/node/node[0-9]*; do
				v=$(stat_val $n/vmstat $k)
				[ -n "$v" ] || { why="$why no $k in $n/vmstat;"; ok=0; v=0; }
				[ "$v" -le $ZN_SANE ] 2>/dev/null || { why="$why $k of ${n##*/} is $v;"; ok=0; v=0; }
				s=$((s + v))
			done
			[ "$g" = "$s" ] || { why="$why $k: /proc/vmstat $g, nodes' sum $s;"; ok=0; }
		done
		[ $ok -eq 1 ] && return 0
		[ $try -ge 3 ] && { zn_fail "$why"; return 1; }
		sleep 1
	done
}

# Global zswapped_b is the stored pages (zswap's debugfs) times the page
# size: no rounding drift.
zswapped_exact() {
	echo 1 > /proc/sys/vm/stat_refresh 2>/dev/null
	g=$(stat_val /proc/vmstat zswapped_b)
	p=$(cat /sys/kernel/debug/zswap/stored_pages 2>/dev/null)
	[ -n "$g" ] || { zn_fail "no zswapped_b in /proc/vmstat"; return 1; }
	[ -n "$p" ] || { zn_fail "no /sys/kernel/debug/zswap/stored_pages"; return 1; }
	[ "$g" -eq $((p * ZN_PAGE)) ] ||
		{ zn_fail "zswapped_b $g, stored_pages $p x $ZN_PAGE = $((p * ZN_PAGE))"; return 1; }
}

zn_show() {
	for f in "$@"; do
		echo "  $f: $(grep -E '^zswap(ped)? ' "$f" | tr '\n' ' ')"
	done
	echo 1 > /proc/sys/vm/stat_refresh 2>/dev/null
	echo "  /proc/vmstat: $(grep -E '^zswap(ped)?_b ' /proc/vmstat | tr '\n' ' ')"
	for n in /sys/devices/system/node/node[0-9]*; do
		echo "  ${n##*/}/vmstat: $(grep -E '^zswap(ped)?_b ' $n/vmstat | tr '\n' ' ')"
	done
}

# Start memload -k in a memcg on a CPU; waits until it holds its memory
# swapped out.  Sets zn_pid; output in $2.
zn_hold() {
	cpu=$1 out=$2
	shift 2
	rm -f "$out"
	taskset "$cpu" memload -k "$@" > "$out" 2>&1 &
	zn_pid=$!
	while ! grep -q holding "$out" 2>/dev/null; do
		kill -0 $zn_pid 2>/dev/null || { cat "$out"; return 1; }
		sleep 1
	done
	cat "$out"
}

# Wait for a memcg's zswap and zswapped to read 0 (stats are flushed
# within a few seconds).
zn_zero() {
	cg=$1 i=0
	while [ $i -lt 15 ]; do
		z=$(stat_val "$cg/memory.stat" zswap)
		zd=$(stat_val "$cg/memory.stat" zswapped)
		n0=$(numa_sum "$cg/memory.numa_stat" zswap)
		n1=$(numa_sum "$cg/memory.numa_stat" zswapped)
		[ "$z$zd$n0$n1" = 0000 ] && return 0
		i=$((i + 1))
		sleep 1
	done
	zn_fail "$cg: zswap $z zswapped $zd, numa_stat sums $n0 $n1 (want all 0)"
}

node1_blocks() { ls -d /sys/devices/system/node/node1/memory[0-9]* 2>/dev/null; }

node1_online() {
	rc=0
	for m in $(node1_blocks); do
		grep -q online "$m/state" && continue
		echo online_movable > "$m/state" || { zn_fail "${m##*/} does not come online"; rc=1; }
	done
	return $rc
}

# Offline node 1's blocks one at a time; after each, the memcg's counters
# and the global ones must still add up, and its totals be unchanged.
node1_offline_checked() {
	cg=$1 z=$2 zd=$3 rc=0
	for m in $(node1_blocks); do
		grep -q offline "$m/state" && continue
		i=0
		until echo offline > "$m/state" 2>/dev/null; do
			i=$((i + 1))
			[ $i -lt 5 ] || { zn_fail "${m##*/} does not go offline"; return 1; }
			sleep 1
		done
		echo "zswap-numa: ${m##*/} offline: $(grep -E '^zswap' "$cg/memory.numa_stat" | tr '\n' ' ')"
		# The first inconsistency is reported; the blocks still go offline.
		[ $rc -eq 0 ] || continue
		zb=$(stat_val "$cg/memory.stat" zswap) zdb=$(stat_val "$cg/memory.stat" zswapped)
		[ "$zb" = "$z" ] && [ "$zdb" = "$zd" ] ||
			{ zn_fail "after ${m##*/}: memory.stat zswap $z -> $zb, zswapped $zd -> $zdb"; rc=1; }
		{ memcg_consistent "$cg" && vmstat_consistent && zswapped_exact; } ||
			{ zn_fail "after ${m##*/} went offline"; rc=1; }
	done
	return $rc
}

# (a) node1: node 1's zswap bytes follow its zsmalloc pages to node 0.
# (c) split: the same with node 1 all but full (an mlocked hog), so that the
#     pool's pages come from both nodes, zspages (and objects) across two
#     nodes included; node 1's blocks go offline one by one.
zswap_numa_node1() {
	mode=$1
	t=zswap-numa/$mode
	hog=
	if [ "$mode" = split ]; then
		free=$(awk '/MemFree/ { print $4 }' /sys/devices/system/node/node1/meminfo)
		rm -f /tmp/zn-hog.out
		taskset 2 zsbench hog -m $((free / 1024 - 16)) > /tmp/zn-hog.out 2>&1 &
		hog=$!
		while ! grep -q holding /tmp/zn-hog.out 2>/dev/null; do
			kill -0 $hog 2>/dev/null || { cat /tmp/zn-hog.out; zn_result $t-store FAIL "the hog died"; return; }
			sleep 1
		done
		echo "zswap-numa: $(cat /tmp/zn-hog.out); node 1 $(grep MemFree /sys/devices/system/node/node1/meminfo)"
	fi
	cg=$(new_memcg zswap-numa-$mode) || { zn_result $t-store FAIL "no memcg"; return; }
	ms=$cg/memory.stat ns=$cg/memory.numa_stat
	if ! zn_hold 2 /tmp/zn-a.out -c "$cg" -m $ZN_MIB -z; then
		zn_result $t-store FAIL "memload did not reach its hold"
		[ -z "$hog" ] || { kill $hog; wait $hog; }
		drop_memcg "$cg"; return
	fi
	zn_show "$ms" "$ns"
	z1=$(numa_val "$ns" zswap 1) zd1=$(numa_val "$ns" zswapped 1)
	z0=$(numa_val "$ns" zswap 0) zd0=$(numa_val "$ns" zswapped 0)
	z=$(stat_val "$ms" zswap) zd=$(stat_val "$ms" zswapped)
	swap_kb=$(awk '/^VmSwap:/ { print $2 }' /proc/$zn_pid/status)
	if [ -n "$hog" ]; then
		# Node 1 is needed empty for offlining.
		kill $hog; wait $hog 2>/dev/null
	fi
	if [ -z "$z1" ] || [ -z "$zd1" ]; then
		zn_result $t-store FAIL "no N1 in memory.numa_stat: $(grep -E '^zswap' "$ns" | tr '\n' ' ')"
	elif [ "$mode" = node1 ]; then
		if [ "$z1" -gt 0 ] && [ "$zd1" -gt 0 ]; then
			zn_result $t-store PASS "N1 zswap $z1 zswapped $zd1 of $z $zd"
		else
			zn_result $t-store FAIL "numa_stat N1 zswap '$z1' zswapped '$zd1' (want > 0)"
		fi
	elif [ "$z0" -gt 0 ] && [ "$z1" -gt 0 ]; then
		zn_result $t-store PASS "zswap N0 $z0 N1 $z1, zswapped N0 $zd0 N1 $zd1"
	else
		# Where the allocator put the pages is not the kernel's fault.
		result $t-store SKIP "the pool's pages are on one node only (zswap N0 $z0 N1 $z1): no split to test"
	fi
	if memcg_consistent "$cg" && vmstat_consistent; then
		zn_result $t-nodes-bounded PASS
	else
		zn_result $t-nodes-bounded FAIL
	fi
	if [ "$zd" = $((swap_kb * 1024)) ] && zswapped_exact; then
		zn_result $t-zswapped-exact PASS "$zd bytes = VmSwap $swap_kb kB"
	else
		zn_result $t-zswapped-exact FAIL "memory.stat zswapped '$zd', VmSwap $swap_kb kB"
	fi

	echo "--- offlining node 1, block by block"
	if node1_offline_checked "$cg" "$z" "$zd"; then
		zn_result $t-offline PASS "$(node1_blocks | wc -l) blocks, counters consistent after each"
	else
		zn_result $t-offline FAIL
	fi
	zn_show "$ms" "$ns"
	z1b=$(numa_val "$ns" zswap 1) zd1b=$(numa_val "$ns" zswapped 1)
	z0b=$(numa_val "$ns" zswap 0) zd0b=$(numa_val "$ns" zswapped 0)
	# numa_stat lists the nodes with memory: with none left, N1 is gone,
	# which is 0 (N0 must then hold all of it).
	if [ "$(awk '/MemTotal/ { print $4 }' /sys/devices/system/node/node1/meminfo)" = 0 ] &&
	   [ -n "$z0b" ] && ! grep -q 'N1=' "$ns"; then
		echo "zswap-numa: node 1 has no memory now, numa_stat has no N1: counted as 0"
		z1b=0 zd1b=0
	fi
	if [ "$z1b" = 0 ] && [ "$zd1b" = 0 ] && [ -n "$z0" ] && [ -n "$z1" ] &&
	   [ "$z0b" = $((z0 + z1)) ] && [ "$zd0b" = $((zd0 + zd1)) ]; then
		zn_result $t-bytes-moved PASS "N0 zswap $z0 -> $z0b, zswapped $zd0 -> $zd0b"
	else
		zn_result $t-bytes-moved FAIL "zswap N0 $z0 -> '$z0b', N1 $z1 -> '$z1b'; zswapped N0 $zd0 -> '$zd0b', N1 $zd1 -> '$zd1b'"
	fi
	zb=$(stat_val "$ms" zswap) zdb=$(stat_val "$ms" zswapped)
	if [ "$zb" = "$z" ] && [ "$zdb" = "$zd" ] && memcg_consistent "$cg" &&
	   vmstat_consistent && zswapped_exact; then
		zn_result $t-totals-unchanged PASS
	else
		zn_result $t-totals-unchanged FAIL "memory.stat zswap $z -> $zb, zswapped $zd -> $zdb"
	fi

	kill -USR1 $zn_pid
	if wait $zn_pid; then
		zn_result $t-data-intact PASS
	else
		zn_result $t-data-intact FAIL "memload: $(tail -n 2 /tmp/zn-a.out | tr '\n' ' ')"
	fi
	cat /tmp/zn-a.out
	if node1_online; then zn_result $t-online-again PASS; else zn_result $t-online-again FAIL; fi
	if zn_zero "$cg" && memcg_consistent "$cg" && vmstat_consistent; then
		zn_result $t-zero-after-exit PASS
	else
		zn_result $t-zero-after-exit FAIL
	fi
	zn_show "$ms" "$ns"
	drop_memcg "$cg"
}

# (b) a child memcg removed with objects in zswap: the parent's counters.
zswap_numa_rmdir() {
	t=zswap-numa/rmdir
	p=$(new_memcg zswap-numa-b) || { zn_result $t-parent FAIL "no memcg"; return; }
	echo +memory > "$p/cgroup.subtree_control"
	mkdir "$p/child" "$p/keep" || { zn_result $t-parent FAIL "no child memcg"; return; }
	# Both nodes' CPUs: the child's objects on both nodes.
	if ! zn_hold 3 /tmp/zn-b.out -c "$p/child" -m $ZN_MIB -z; then
		zn_result $t-parent FAIL "memload did not reach its hold"
		drop_memcg "$p/child"; rmdir "$p/keep"; drop_memcg "$p"; return
	fi
	zn_show "$p/child/memory.stat" "$p/child/memory.numa_stat" "$p/memory.stat" "$p/memory.numa_stat"
	z=$(stat_val "$p/memory.stat" zswap) zd=$(stat_val "$p/memory.stat" zswapped)
	memcg_consistent "$p/child"; c1=$?
	memcg_consistent "$p"; c2=$?
	# A process cannot live in a memcg with controllers in its
	# subtree_control (cgroup v2): the task goes to a sibling.
	echo $zn_pid > "$p/keep/cgroup.procs"
	if rmdir "$p/child"; then
		zn_result $t-child-removed PASS
	else
		zn_result $t-child-removed FAIL "rmdir $p/child"
	fi
	zn_show "$p/memory.stat" "$p/memory.numa_stat" "$p/keep/memory.stat"
	zb=$(stat_val "$p/memory.stat" zswap) zdb=$(stat_val "$p/memory.stat" zswapped)
	if [ $c1 -eq 0 ] && [ $c2 -eq 0 ] && [ -n "$z" ] && [ "$z" -gt 0 ] &&
	   [ "$zb" = "$z" ] && [ "$zdb" = "$zd" ] && memcg_consistent "$p" &&
	   memcg_consistent "$p/keep" && vmstat_consistent; then
		zn_result $t-parent-consistent PASS "zswap $z, zswapped $zd"
	else
		zn_result $t-parent-consistent FAIL "parent zswap $z -> $zb, zswapped $zd -> $zdb"
	fi
	kill -USR1 $zn_pid
	if wait $zn_pid; then
		zn_result $t-data-intact PASS
	else
		zn_result $t-data-intact FAIL "memload: $(tail -n 2 /tmp/zn-b.out | tr '\n' ' ')"
	fi
	if zn_zero "$p" && memcg_consistent "$p" && vmstat_consistent; then
		zn_result $t-parent-zero PASS
	else
		zn_result $t-parent-zero FAIL
	fi
	zn_show "$p/memory.stat" "$p/memory.numa_stat"
	rmdir "$p/keep"
	drop_memcg "$p"
}

zswap_numa() {
	grep -q "^/dev/$ZRAM_SWAP " /proc/swaps || setup_swap ||
		{ result zswap-numa/setup FAIL "no zram swap"; return; }
	echo Y > /sys/module/zswap/parameters/enabled
	zswap_numa_node1 node1
	zswap_numa_rmdir
	zswap_numa_node1 split
}

zswap_numa
