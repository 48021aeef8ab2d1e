# SPDX-License-Identifier: GPL-2.0
# Only the NUMA check: scripts/check boots this with one node to see it fail.
. /tests/lib.sh
check boot/two-nodes nodes
