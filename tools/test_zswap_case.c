// SPDX-License-Identifier: GPL-2.0
/*
 * test_zswap_case: run the kernel's own cgroup selftest test_zswap one case
 * at a time.
 *
 *   test_zswap_case --list     the case names, in the selftest's order
 *   test_zswap_case CASE       run one case, print its KTAP result
 *
 * The selftest's source from the kernel tree under test is compiled in as it
 * is, with its main() renamed; this main() does the same setup and runs the
 * one case.  A case that ends in the OOM killer then takes no other case
 * with it.  Exit status: 0 pass, 4 skip (kselftest's), 1 fail.
 */
#define main test_zswap_main
#include "test_zswap.c"
#undef main

int main(int argc, char **argv)
{
	char root[PATH_MAX];
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s --list | CASE\n", argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "--list")) {
		for (i = 0; i < ARRAY_SIZE(tests); i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(tests); i++)
		if (!strcmp(argv[1], tests[i].name))
			break;
	if (i == ARRAY_SIZE(tests)) {
		fprintf(stderr, "%s: no case %s\n", argv[0], argv[1]);
		return 2;
	}

	/*
	 * The setup of test_zswap.c's main(), for one case: 7.x's, which
	 * has a page_size of its own and check_zswap_enabled() (and the
	 * PATH_ZSWAP_ENABLED it reads), or 6.12's.
	 */
#ifdef PATH_ZSWAP_ENABLED
	page_size = sysconf(_SC_PAGE_SIZE);
	if (page_size <= 0)
		page_size = BUF_SIZE;
#endif
	ksft_print_header();
	ksft_set_plan(1);
	if (cg_find_unified_root(root, sizeof(root), NULL))
		ksft_exit_skip("cgroup v2 isn't mounted\n");
#ifdef PATH_ZSWAP_ENABLED
	check_zswap_enabled();
#else
	if (!zswap_configured())
		ksft_exit_skip("zswap isn't configured\n");
#endif
	if (cg_read_strstr(root, "cgroup.controllers", "memory"))
		ksft_exit_skip("memory controller isn't available\n");
	if (cg_read_strstr(root, "cgroup.subtree_control", "memory"))
		if (cg_write(root, "cgroup.subtree_control", "+memory"))
			ksft_exit_skip("Failed to set memory controller\n");

	switch (tests[i].fn(root)) {
	case KSFT_PASS:
		ksft_test_result_pass("%s\n", tests[i].name);
		return 0;
	case KSFT_SKIP:
		ksft_test_result_skip("%s\n", tests[i].name);
		return 4;
	default:
		ksft_test_result_fail("%s\n", tests[i].name);
		return 1;
	}
}
