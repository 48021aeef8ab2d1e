# SPDX-License-Identifier: GPL-2.0
# The short run for bisecting: nodes, zswap and zram store/load, KUnit.
SMOKE=1
. /tests/check.sh
