# SPDX-License-Identifier: GPL-2.0
# The guest side of scripts/stress: for a bounded time (zs.duration=, in
# seconds), workers put memory into zswap and zram and read it back, and
# groups of processes free swapped-out memory all at once, while the pools
# are compacted, node 1's movable memory is offlined and onlined
# again (migrating zsmalloc pages) and memcgs are removed with their
# objects still in zswap.  Every worker checks every byte it reads back.
. /tests/lib.sh

duration=120
for arg in $(cat /proc/cmdline); do
	case $arg in zs.duration=*) duration=${arg#zs.duration=} ;; esac
done
setup_swap || { result stress/setup FAIL; exit 0; }
end=$(( $(date +%s) + duration ))
mkdir -p /tmp/stress
echo "stress: $duration s"

# A worker: in a fresh memcg, hold memory in zswap, move itself to the root,
# remove the memcg (its objects stay in zswap, charged to the parent), then
# read everything back.  Odd workers go to zram directly: their memcg has
# memory.zswap.max 0.
worker() {
	id=$1 n=0 bad=0
	while [ "$(date +%s)" -lt $end ]; do
		n=$((n + 1))
		cg=$(new_memcg "w$id") || { bad=$((bad + 1)); continue; }
		[ $((id % 2)) -eq 1 ] && echo 0 > "$cg/memory.zswap.max"
		rm -f /tmp/stress/w$id.out
		memload -c "$cg" -m 24 -k -s 0 > /tmp/stress/w$id.out 2>&1 &
		pid=$!
		while ! grep -q holding /tmp/stress/w$id.out 2>/dev/null; do
			kill -0 $pid 2>/dev/null || break
			sleep 1
		done
		echo $pid > /sys/fs/cgroup/cgroup.procs 2>/dev/null
		rmdir "$cg" 2>/dev/null || drop_memcg "$cg"
		kill -USR1 $pid 2>/dev/null
		wait $pid || { bad=$((bad + 1)); cat /tmp/stress/w$id.out; }
	done
	echo "$n $bad" > /tmp/stress/w$id.result
}

# Many processes freeing at once: munmapbench -c makes 4 processes fill
# 16 MiB each, push it to swap, read every other page back (checking it)
# and then all unmap at the same time, so that zs_free() runs in several
# tasks on both CPUs while the mover compacts and migrates.  Freer 1 goes
# through zswap, freer 2 (memory.zswap.max 0) straight to zram.
freer() {
	id=$1 n=0 bad=0 short=0
	cg=$(new_memcg "f$id") || { echo "0 1 0" > /tmp/stress/f$id.result; return; }
	[ "$id" -eq 2 ] && echo 0 > "$cg/memory.zswap.max"
	while [ "$(date +%s)" -lt $end ]; do
		n=$((n + 1))
		sh -c "echo \$\$ > $cg/cgroup.procs && exec munmapbench -c -n 4 -m 16 -s $n" \
			> /tmp/stress/f$id.out 2>&1
		case $? in
		0) ;;
		2) short=$((short + 1)) ;;
		*) bad=$((bad + 1)); cat /tmp/stress/f$id.out ;;
		esac
	done
	drop_memcg "$cg"
	echo "$n $bad $short" > /tmp/stress/f$id.result
}

# Compaction and node 1 offline/online, taking turns: compaction of every
# zone, zram's pool compaction, then every memory block of node 1 offlined
# (page migration moves its zsmalloc pages to node 0) and onlined again.
# Not at the same time: on the 6.12 base, /proc/sys/vm/compact_memory
# running while a block is being offlined ends in a general protection
# fault in set_pfnblock_flags_mask() (Documentation/testing.md).
mover() {
	rounds=0 off=0 busy=0
	while [ "$(date +%s)" -lt $end ]; do
		echo 1 > /proc/sys/vm/compact_memory
		echo 1 > /sys/block/$ZRAM_SWAP/compact
		rounds=$((rounds + 1))
		for m in /sys/devices/system/node/node1/memory[0-9]*; do
			if echo offline > "$m/state" 2>/dev/null; then
				off=$((off + 1))
				echo online_movable > "$m/state" ||
					echo "stress: could not online ${m##*/} again"
			else
				busy=$((busy + 1))
			fi
		done
		sleep 1
	done
	echo "$rounds $off $busy" > /tmp/stress/mover.result
}

for i in 1 2 3 4; do worker $i & done
for i in 1 2; do freer $i & done
mover &
wait

total=0 bad=0
for i in 1 2 3 4; do
	read -r n b < /tmp/stress/w$i.result
	total=$((total + n)); bad=$((bad + b))
done
echo "stress: $total worker rounds, $bad bad"
[ $total -gt 0 ] && [ $bad -eq 0 ] && result stress/workers PASS "$total rounds" ||
	result stress/workers FAIL "$bad of $total rounds bad"
fn=0 fbad=0 fshort=0
for i in 1 2; do
	read -r n b sh < /tmp/stress/f$i.result
	fn=$((fn + n)); fbad=$((fbad + b)); fshort=$((fshort + sh))
done
echo "stress: $fn concurrent munmap rounds, $fbad bad, $fshort not fully swapped out"
[ $fn -gt 0 ] && [ $fbad -eq 0 ] && result stress/freers PASS "$fn rounds, $fshort short" ||
	result stress/freers FAIL "$fbad of $fn rounds bad"
read -r rounds off busy < /tmp/stress/mover.result
echo "stress: $rounds compaction rounds, $off memory blocks offlined, $busy attempts busy"
[ $off -gt 0 ] && result stress/node1-offline PASS "$rounds rounds, $off offlined, $busy busy" ||
	result stress/node1-offline FAIL "no block of node 1 could be offlined ($busy busy)"
for m in /sys/devices/system/node/node1/memory[0-9]*; do
	grep -q online "$m/state" || result stress/node1-online-again FAIL "${m##*/}"
done
zsstat /sys/fs/cgroup
if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	sleep 5
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
	if grep -q 'unreferenced object' /sys/kernel/debug/kmemleak; then
		result stress/kmemleak FAIL "see the console"
	else
		result stress/kmemleak PASS
	fi
fi
