# SPDX-License-Identifier: GPL-2.0
# A guest that never ends: scripts/check boots it to see the timeout fail.
echo "ZSGUEST: hanging on purpose"
while :; do sleep 60; done
