# SPDX-License-Identifier: GPL-2.0
# The kernel's own selftests that the guest runs: test_zswap (one case per
# process), test_memcontrol and test_kmem (whole), the zram selftests.
# Sourced by check.sh; run as a mode (scripts/vm -m selftests) it runs
# them alone, on any kernel, the base included, after setting up zram
# swap, which is how scripts/check-base judges them against the base.
# /tests/not-run lists tests not to run here, one "NAME REASON" a line
# (made by scripts/mkinitramfs from scripts/known/).
. /tests/lib.sh
# No single selftest may take the whole run: a hung one fails alone.
CASE_TIMEOUT=${CASE_TIMEOUT:-600}

# not_run NAME: the reason NAME is not to be run here, or nothing.
not_run() {
	awk -v n="$1" '$1 == n { $1 = ""; print substr($0, 2) }' /tests/not-run 2>/dev/null
}

# The kernel's own cgroup selftest test_zswap, one case per process (see
# tools/test_zswap_case.c) so that a case ended by the OOM killer takes no
# other case with it.  /tests/not-run lists tests not to run here, one
# "NAME REASON" a line (made by scripts/mkinitramfs from scripts/known/).
selftest_zswap() {
	for c in $(test_zswap_case --list); do
		name=selftests/cgroup/test_zswap/$c
		why=$(not_run "$name")
		if [ -n "$why" ]; then
			result "$name" SKIP "not run: $why"
			continue
		fi
		timeout "$CASE_TIMEOUT" test_zswap_case "$c" 2>&1 | tee /tmp/case.out
		rc=$?
		case $rc in
		0) grep -q "^ok 1 $c" /tmp/case.out && result "$name" PASS ||
			result "$name" FAIL "exit 0 but no ok line" ;;
		4) result "$name" SKIP "$(grep -m1 -E '^(ok 1|#|Bail)' /tmp/case.out)" ;;
		*) result "$name" FAIL "exit $rc" ;;
		esac
	done
}

selftest_zram() {
	cd /tests/selftests/zram || return
	for t in zram01 zram02; do
		timeout "$CASE_TIMEOUT" ./$t.sh 2>&1 | tee /tmp/$t.out
		rc=$?
		if [ $rc -eq 0 ] && grep -q "^$t : \[PASS\]" /tmp/$t.out &&
		   ! grep -q '^FAIL' /tmp/$t.out; then
			result "selftests/zram/$t" PASS
		else
			result "selftests/zram/$t" FAIL "exit $rc: $(grep '^FAIL' /tmp/$t.out | head -n 1)"
		fi
	done
	cd /tests
}

# selftest_fs_up: an ext2 file system on a new zram device, mounted;
# prints its mount point.  selftest_fs_down DIR: unmount, remove the device.
selftest_fs_up() {
	n=$(cat /sys/class/zram-control/hot_add) || return 1
	echo lzo > /sys/block/zram$n/comp_algorithm
	echo 256M > /sys/block/zram$n/disksize || return 1
	mke2fs -q -b 4096 /dev/zram$n >/dev/null 2>&1 || return 1
	mkdir -p /mnt/selftest$n && mount -t ext2 /dev/zram$n /mnt/selftest$n || return 1
	echo /mnt/selftest$n
}
# A case's last children (an OOM group being killed, say) can keep the
# mount busy for a moment after the test exits: wait for them, up to 10 s.
selftest_fs_down() {
	n=${1#/mnt/selftest} i=0
	until umount "$1" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -ge 10 ]; then
			echo "selftests: $1 still busy after ${i}s, left mounted"
			return 1
		fi
		sleep 1
	done
	rmdir "$1"
	echo 1 > /sys/block/zram$n/reset
	echo "$n" > /sys/class/zram-control/hot_remove
}

# A cgroup selftest that runs its cases itself (test_memcontrol,
# test_kmem): each KTAP result line is a result.  Children forked by a case
# can print a case's line again (output they inherited unflushed): the
# first line of each case number counts.  A run ended by a signal or the
# timeout fails as a whole, after the cases it reported.
selftest_cgroup() {
	t=$1
	why=$(not_run "selftests/cgroup/$t")
	if [ -n "$why" ]; then
		result "selftests/cgroup/$t" SKIP "not run: $why"
		return
	fi
	# Its page cache cases want a file system with a page cache where
	# they run (the rootfs is tmpfs: "page cache" there is shmem): an
	# ext2 on a zram device of its own, made for the run.
	fsdir=$(selftest_fs_up) || { result "selftests/cgroup/$t" FAIL "no file system to run in"; return; }
	(cd "$fsdir" && timeout "$CASE_TIMEOUT" "$t") > /tmp/$t.out 2>&1
	rc=$?
	selftest_fs_down "$fsdir"
	cat /tmp/$t.out
	grep -E '^(not )?ok [0-9]+ ' /tmp/$t.out |
		awk '{ n = ($1 == "not") ? $3 : $2; if (!seen[n]++) print }' > /tmp/$t.res
	while read -r line; do
		c=$(echo "$line" | sed -E 's/^(not )?ok [0-9]+ ([^ ]+).*/\2/')
		case $line in
		"not ok "*) result "selftests/cgroup/$t/$c" FAIL ;;
		*"# SKIP"*) result "selftests/cgroup/$t/$c" SKIP "${line#*# SKIP}" ;;
		*) result "selftests/cgroup/$t/$c" PASS ;;
		esac
	done < /tmp/$t.res
	if [ $rc -gt 4 ]; then
		result "selftests/cgroup/$t" FAIL "exit $rc after $(wc -l < /tmp/$t.res) cases"
	fi
}

kernel_selftests() {
	selftest_zswap
	selftest_cgroup test_memcontrol
	selftest_cgroup test_kmem
	selftest_zram
}

# As a mode of its own: swap on zram, then the selftests.
if [ "${0##*/}" = selftests.sh ]; then
	if setup_swap; then result setup/zram-swap PASS; else result setup/zram-swap FAIL; fi
	echo Y > /sys/module/zswap/parameters/enabled 2>/dev/null
	kernel_selftests
fi
