# SPDX-License-Identifier: GPL-2.0
# Shared functions of the guest-side test scripts (busybox sh).
#
# A result is one console line that scripts/vm counts:
#   ZSTEST: <name>: PASS|FAIL|SKIP [reason]

result() {
	name=$1 verdict=$2
	shift 2
	echo "ZSTEST: $name: $verdict${*:+ $*}"
}

# Run a command, show its output, and record PASS or FAIL by its exit code.
check() {
	name=$1
	shift
	echo "--- $name: $*"
	if "$@"; then result "$name" PASS; else result "$name" FAIL "exit $?"; fi
}

# The zram device used as swap behind zswap.
ZRAM_SWAP=zram0

setup_swap() {
	[ -e /sys/block/$ZRAM_SWAP ] || cat /sys/class/zram-control/hot_add >/dev/null
	echo lzo > /sys/block/$ZRAM_SWAP/comp_algorithm
	echo 1G > /sys/block/$ZRAM_SWAP/disksize
	mkswap /dev/$ZRAM_SWAP >/dev/null && swapon /dev/$ZRAM_SWAP
}

# A fresh memory cgroup under the root; prints its path.
new_memcg() {
	grep -q memory /sys/fs/cgroup/cgroup.subtree_control ||
		echo +memory > /sys/fs/cgroup/cgroup.subtree_control
	d=/sys/fs/cgroup/$1
	[ -d "$d" ] && rmdir "$d"
	mkdir "$d" && echo "$d"
}

# Move every task of a cgroup to the root and remove the cgroup.
drop_memcg() {
	for p in $(cat "$1/cgroup.procs" 2>/dev/null); do
		echo "$p" > /sys/fs/cgroup/cgroup.procs 2>/dev/null
	done
	rmdir "$1"
}

# Expect a write to be refused: "expect_refused NAME VALUE FILE".  PASS when
# the write fails and the file reads back as before.
expect_refused() {
	name=$1 value=$2 file=$3
	if [ ! -e "$file" ]; then
		result "$name" SKIP "no $file"
		return
	fi
	old=$(cat "$file" 2>&1)
	if (echo "$value" > "$file") 2>/dev/null; then
		result "$name" FAIL "'$value' accepted by $file"
	elif [ "$(cat "$file" 2>&1)" != "$old" ]; then
		result "$name" FAIL "$file changed from '$old' to '$(cat "$file")'"
	else
		result "$name" PASS
	fi
}

# Two NUMA nodes, each with a CPU and memory; node 1's memory movable.
nodes() {
	n=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
	echo "nodes online: $(cat /sys/devices/system/node/online), cpus per node:"
	for d in /sys/devices/system/node/node[0-9]*; do
		echo "  ${d##*/}: cpus $(cat $d/cpulist), $(grep MemTotal $d/meminfo)"
	done
	[ "$n" -eq 2 ] || { echo "expected 2 nodes, found $n"; return 1; }
	for d in /sys/devices/system/node/node0 /sys/devices/system/node/node1; do
		[ -n "$(cat $d/cpulist)" ] || { echo "${d##*/} has no CPU"; return 1; }
		kb=$(awk '/MemTotal/ {print $4}' $d/meminfo)
		[ "$kb" -gt 0 ] || { echo "${d##*/} has no memory"; return 1; }
	done
	# Node 1's memory is hot-plugged and movable: it can be offlined.
	blocks=0
	for m in /sys/devices/system/node/node1/memory[0-9]*; do
		[ -e "$m/valid_zones" ] || continue
		grep -q Movable "$m/valid_zones" || { echo "${m##*/} not movable"; return 1; }
		blocks=$((blocks + 1))
	done
	echo "node1: $blocks movable memory blocks"
	[ $blocks -gt 0 ]
}
