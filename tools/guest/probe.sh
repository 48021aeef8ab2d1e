# SPDX-License-Identifier: GPL-2.0
# Nothing to do: scripts/vm boots this mode to learn whether a guest boots.
echo "ZSGUEST: probe"
