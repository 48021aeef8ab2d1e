# SPDX-License-Identifier: GPL-2.0
# The guest side of the test command: every check prints a ZSTEST line.
. /tests/lib.sh
. /tests/selftests.sh
set -o pipefail
# No single selftest may take the whole run: a hung one fails alone.
CASE_TIMEOUT=600

zswap_memcg() {
	cg=$(new_memcg zswap-smoke) || return 1
	echo Y > /sys/module/zswap/parameters/enabled
	# Run on node 1's CPU too so that both nodes see zswap traffic.
	memload -c "$cg" -m 64 -z || { drop_memcg "$cg"; return 1; }
	zsstat "$cg" | grep -E 'memory.stat: zswap|zswpout|zswpin'
	drop_memcg "$cg"
}

zram_swap() {
	echo N > /sys/module/zswap/parameters/enabled
	memload -m 64 -r $ZRAM_SWAP
	rc=$?
	echo Y > /sys/module/zswap/parameters/enabled
	return $rc
}

bad_input() {
	z=/sys/module/zswap/parameters
	expect_refused bad-input/zswap.enabled maybe $z/enabled
	expect_refused bad-input/zswap.compressor no-such-compressor $z/compressor
	expect_refused bad-input/zswap.zpool no-such-zpool $z/zpool
	expect_refused bad-input/zswap.max_pool_percent -1 $z/max_pool_percent
	expect_refused bad-input/zswap.accept_threshold_percent lots $z/accept_threshold_percent
	expect_refused bad-input/zswap.shrinker_enabled sometimes $z/shrinker_enabled
	b=/sys/block/$ZRAM_SWAP
	expect_refused bad-input/zram.disksize-in-use 2G $b/disksize
	expect_refused bad-input/zram.comp_algorithm-in-use lz4 $b/comp_algorithm
	expect_refused bad-input/zram.reset-in-use 1 $b/reset
	expect_refused bad-input/zram.mem_limit not-a-size $b/mem_limit
	expect_refused bad-input/zram.idle sometime $b/idle
	cat /sys/class/zram-control/hot_add >/dev/null
	spare=$(ls -d /sys/block/zram* | tail -n 1)
	expect_refused bad-input/zram.comp_algorithm no-such-alg $spare/comp_algorithm
	expect_refused bad-input/zram.disksize not-a-size $spare/disksize
	echo "${spare##*zram}" > /sys/class/zram-control/hot_remove
	expect_refused bad-input/zram-control.hot_remove 99999 /sys/class/zram-control/hot_remove
	cg=$(new_memcg bad-input)
	expect_refused bad-input/memory.zswap.max lots "$cg/memory.zswap.max"
	expect_refused bad-input/memory.zswap.writeback 2 "$cg/memory.zswap.writeback"
	expect_refused bad-input/memory.max -5 "$cg/memory.max"
	drop_memcg "$cg"
}

# KUnit suites built into the kernel ran at boot; their KTAP is in debugfs.
kunit() {
	for s in /sys/kernel/debug/kunit/*/results; do
		[ -e "$s" ] || continue
		suite=${s%/results}; suite=${suite##*/}
		cat "$s"
		grep -E '^    (not )?ok [0-9]+ ' "$s" | while read -r line; do
			c=$(echo "$line" | sed -E 's/^(not )?ok [0-9]+ ([^ ]+).*/\2/')
			case $line in
			"not ok "*) result "kunit/$suite/$c" FAIL ;;
			*"# SKIP"*) result "kunit/$suite/$c" SKIP "${line#*# SKIP}" ;;
			*) result "kunit/$suite/$c" PASS ;;
			esac
		done
		if ! grep -qE '^    (not )?ok [0-9]+ ' "$s"; then
			# A plan and no case: the suite never ran (7.x builds
			# need CONFIG_KUNIT_AUTORUN_ENABLED for boot-time runs)
			result "kunit/$suite" FAIL "no case ran"
		elif grep -qE "^not ok [0-9]+ $suite" "$s"; then
			result "kunit/$suite" FAIL
		elif grep -qE "^ok [0-9]+ $suite" "$s"; then
			result "kunit/$suite" PASS
		else
			result "kunit/$suite" FAIL "no result line"
		fi
	done
}

check boot/two-nodes nodes
if setup_swap; then result setup/zram-swap PASS; else result setup/zram-swap FAIL; fi
check zswap/memcg-store-load zswap_memcg
check zram/swap-store-load zram_swap
kunit
# smoke.sh stops here: the runtime bisect boots every step with it.
[ -n "${SMOKE:-}" ] && return 0
# Part B's per-node zswap byte counters (tools/guest/zswap-numa.sh).  They
# fail on a kernel without part B, by design.
. /tests/zswap-numa.sh
bad_input
kernel_selftests
