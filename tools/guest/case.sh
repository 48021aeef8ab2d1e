# SPDX-License-Identifier: GPL-2.0
# One or more cases of the kernel's test_zswap alone, for trying a case
# without the whole check: scripts/vm -m case -a zs.cases=NAME[,NAME...]
# (test_memcontrol or test_kmem as a NAME: that selftest, whole).
. /tests/selftests.sh
cases=
for arg in $(cat /proc/cmdline); do
	case $arg in zs.cases=*) cases=$(echo "${arg#zs.cases=}" | tr , ' ') ;; esac
done
[ -n "$cases" ] || { result case/setup FAIL "no zs.cases= on the command line"; exit 0; }
setup_swap || { result case/setup FAIL "no zram swap"; exit 0; }
echo Y > /sys/module/zswap/parameters/enabled
for c in $cases; do
	case $c in
	test_memcontrol|test_kmem) selftest_cgroup "$c"; continue ;;
	esac
	timeout "$CASE_TIMEOUT" test_zswap_case "$c" 2>&1
	case $? in
	0) result "selftests/cgroup/test_zswap/$c" PASS ;;
	4) result "selftests/cgroup/test_zswap/$c" SKIP ;;
	*) result "selftests/cgroup/test_zswap/$c" FAIL ;;
	esac
done
