# SPDX-License-Identifier: GPL-2.0
# Shared shell functions for the scripts in this directory.  Source it:
#   . "$(dirname "$0")/lib.sh"
set -euo pipefail

ZS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ZS_SCRIPTS=$ZS_TOP/scripts
ZS_CACHE=${ZS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zsmalloc-series}
ZS_JOBS=${ZS_JOBS:-$(nproc)}
# The identity every commit of the series carries.
ZS_IDENT_NAME="zsmalloc-series"
ZS_IDENT_EMAIL="zsmalloc-series@localhost"
# The branch the series is applied on, in whatever tree holds the base.
ZS_BRANCH=${ZS_BRANCH:-zs-series}
# One kernel build at a time on this machine (2 cores), whoever runs it.
ZS_BUILD_LOCK=${TMPDIR:-/tmp}/zsmalloc-series-build.lock

# The target: the base the series is for, one of scripts/targets/*.conf,
# each with its own series in patches/TARGET/.  Every script takes it as
# -T TARGET among its arguments (taken out here, before the script reads
# its own options), or from ZS_TARGET; the default is 6.12.  Scripts that
# run others pass it on through the environment.
zs_targets() {
	local f
	for f in "$ZS_SCRIPTS"/targets/*.conf; do
		f=${f##*/}; printf '%s\n' "${f%.conf}"
	done | sort -V
}
ZS_TARGET_GIVEN=${ZS_TARGET:+1}
_zs_args=()
while [ $# -gt 0 ]; do
	case $1 in
	-T) [ $# -ge 2 ] || { echo "${0##*/}: -T needs a target" >&2; exit 2; }
	    ZS_TARGET=$2; ZS_TARGET_GIVEN=1; shift 2 ;;
	-T?*) ZS_TARGET=${1#-T}; ZS_TARGET_GIVEN=1; shift ;;
	--) _zs_args+=("$@"); break ;;
	*) _zs_args+=("$1"); shift ;;
	esac
done
set -- ${_zs_args[@]+"${_zs_args[@]}"}
unset _zs_args
ZS_TARGET=${ZS_TARGET:-6.12}
if [ ! -f "$ZS_SCRIPTS/targets/$ZS_TARGET.conf" ]; then
	echo "${0##*/}: error: no target $ZS_TARGET (targets: $(zs_targets | tr '\n' ' '))" >&2
	exit 2
fi
export ZS_TARGET
. "$ZS_SCRIPTS/targets/$ZS_TARGET.conf"
# The target's series, and what the cache keeps for it: the kernel tree
# (unless BASE_TREE), its builds and the benchmark worktrees.
ZS_PATCHES=$ZS_TOP/patches/$ZS_TARGET
ZS_SERIES=$ZS_PATCHES/series
ZS_TCACHE=$ZS_CACHE/$ZS_TARGET

log()  { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die()  { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }
step() { printf '\n== %s ==\n' "$*" >&2; }

# git in the kernel tree, with the project's identity.
# core.abbrev: git's default length of abbreviated hashes (format-patch's
# index lines among them) depends on how many objects are packed, which a
# background gc changes; a fixed one keeps scripts/export reproducible.
kgit() {
	git -C "$(ktree)" -c user.name="$ZS_IDENT_NAME" \
		-c user.email="$ZS_IDENT_EMAIL" -c core.abbrev=9 "$@"
}

# The kernel tree the scripts work in: the user's (BASE_TREE) or our cache.
ktree() {
	if [ -n "${BASE_TREE:-}" ]; then
		printf '%s\n' "$BASE_TREE"
	else
		printf '%s\n' "$ZS_TCACHE/linux"
	fi
}

# A git ref name for the base.  For a Debian package it is a tag made by
# fetch-base; for a user tree it is BASE_REF.
base_ref() {
	if [ -n "${BASE_TREE:-}" ]; then
		printf '%s\n' "${BASE_REF:?BASE_TREE is set, so set BASE_REF too}"
	else
		local v=${BASE_DEB_VERSION//\~/_}
		printf 'base/%s/%s\n' "$BASE_DEB_PACKAGE" "${v//:/_}"
	fi
}

# A one-line human description of the base.
base_desc() {
	if [ -n "${BASE_TREE:-}" ]; then
		printf '%s at %s (%s)\n' "$BASE_TREE" "$BASE_REF" \
			"$(git -C "$BASE_TREE" rev-parse --short "$BASE_REF")"
	else
		printf 'Debian %s %s\n' "$BASE_DEB_PACKAGE" "$BASE_DEB_VERSION"
	fi
}

# The patch file names of the series, in order (comments and blanks skipped).
series_patches() {
	[ -f "$ZS_SERIES" ] || return 0
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$ZS_SERIES" | grep -v '^$' || true
}

# The last patch of each part of the series, one name a line: the patch
# before each "# Part ..." comment line of `series`, and the last patch.
part_ends() {
	[ -f "$ZS_SERIES" ] || return 0
	awk '/^# Part/ { if (prev != "") print prev; next }
	     /^#/ || /^[[:space:]]*$/ { next }
	     { prev = $1 }
	     END { if (prev != "") print prev }' "$ZS_SERIES" | sort -u
}

# Install Debian packages that are missing.  Arguments: "command:package"
# pairs or bare package names (checked with dpkg).
need() {
	local want=() item cmd pkg
	for item in "$@"; do
		cmd=${item%%:*}; pkg=${item#*:}
		if [ "$cmd" != "$item" ]; then
			command -v "$cmd" >/dev/null 2>&1 && continue
		else
			dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
				grep -q 'install ok installed' && continue
		fi
		want+=("$pkg")
	done
	[ ${#want[@]} -eq 0 ] && return 0
	log "installing Debian packages: ${want[*]}"
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	if [ ! -f "$ZS_CACHE/.apt-updated" ] ||
	   [ -n "$(find "$ZS_CACHE/.apt-updated" -mmin +1440)" ]; then
		$sudo apt-get update -q >/dev/null
		mkdir -p "$ZS_CACHE"; touch "$ZS_CACHE/.apt-updated"
	fi
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
		--no-install-recommends "${want[@]}" >/dev/null
}

# The mirror of the machine's own Debian archive (not its security
# archive): the first source apt lists for the machine's release.
system_mirror() {
	local rel
	rel=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$rel" ] || return 1
	apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
		awk -v r="$rel" '$2 == r { print $1; exit }' | grep .
}

# apt_private DIR SUITE TYPE: a private apt configuration in DIR for one
# suite of the machine's own Debian mirror, with the mirror's URI as the
# system's apt sources have it (DIR/sources.list holds it: the caller
# removes DIR after use, and nothing else writes it down).  TYPE is deb
# or deb-src.  Sets the array APT_PRIVATE to the options that select the
# configuration and updates its lists; the system's sources stay as they
# were.
apt_private() {
	local d=$1 suite=$2 type=$3 uri
	uri=$(system_mirror) || {
		log "no Debian mirror among this machine's apt sources to fetch $suite from"
		return 1
	}
	mkdir -p "$d/lists/partial" "$d/archives/partial" "$d/parts" "$d/prefs"
	printf '%s [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
		"$type" "$uri" "$suite" > "$d/sources.list"
	APT_PRIVATE=(-o Dir::Etc::SourceList="$d/sources.list" -o Dir::Etc::SourceParts="$d/parts"
		-o Dir::State::Lists="$d/lists" -o Dir::Cache::Archives="$d/archives"
		-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
		-o Dir::Etc::Preferences="$d/prefs/none" -o Dir::Etc::PreferencesParts="$d/prefs"
		-o APT::Sandbox::User=root)
	apt-get "${APT_PRIVATE[@]}" update -q 2>&1 | no_uris >/dev/null
	[ "${PIPESTATUS[0]}" -eq 0 ] || { log "apt-get update of $suite failed"; return 1; }
}

# Filter for apt's messages ("Get:1 http://... [153 MB]", errors naming a
# URI), which end up in logs: every URI becomes "<mirror>".
no_uris() { sed -E 's#[a-z+]+://[^ ]+#<mirror>#g'; }

# Newer kernels check that sparse can parse them (scripts/checker-valid.sh:
# 7.x uses __typeof_unqual__) and, when it cannot, build with C=2 checking
# nothing.  Debian 12's sparse 0.6.4 cannot; Debian's 0.6.5~rc1 can.  It
# is built from Debian's source package (pinned: version, suite, sha256 of
# the .dsc, whose checksums dpkg-source checks the tarballs against) into
# the cache, with none of its optional parts (only the sparse binary),
# by the machine's gcc (Debian's package builds with gcc-16).
SPARSE_DEB_VERSION=0.6.5~rc1-2
SPARSE_DEB_SUITE=forky
SPARSE_DSC_SHA256=3520edb07c89820367b7fd99212236aaaf7bf4034ce06fdb7718da0c7e61e076
sparse_parses() {
	[ ! -x "$(ktree)/scripts/checker-valid.sh" ] ||
		[ "$(cd "$(ktree)" && PATH="$1${1:+:}$PATH" scripts/checker-valid.sh sparse -m64 2>/dev/null)" = 1 ]
}

# sparse_path: nothing when the machine's sparse parses the kernel tree;
# else the directory of the pinned Debian sparse (built once, kept in the
# cache), to put first on PATH.  Fails when neither parses the tree or
# the pinned package can no longer be had (said loudly).
sparse_path() {
	local dir=$ZS_CACHE/tools/sparse-$SPARSE_DEB_VERSION d rc=0
	sparse_parses "" && return 0
	if [ ! -x "$dir/sparse" ]; then
		need dpkg-source:dpkg-dev
		log "building Debian's sparse $SPARSE_DEB_VERSION ($SPARSE_DEB_SUITE): the machine's $(sparse --version 2>/dev/null) cannot parse $(ktree)"
		d=$(mktemp -d)
		if ! apt_private "$d/apt" "$SPARSE_DEB_SUITE" deb-src ||
		   ! (cd "$d" && apt-get "${APT_PRIVATE[@]}" source --download-only -q \
			"sparse=$SPARSE_DEB_VERSION" 2>&1 | no_uris >/dev/null; exit "${PIPESTATUS[0]}"); then
			log "########## Debian's sparse $SPARSE_DEB_VERSION can no longer be had from $SPARSE_DEB_SUITE: pin a newer one (SPARSE_DEB_* in scripts/lib.sh) ##########"
			rc=1
		elif ! echo "$SPARSE_DSC_SHA256  $d/sparse_${SPARSE_DEB_VERSION#*:}.dsc" | sha256sum -c --quiet - >&2; then
			log "sha256 of sparse_${SPARSE_DEB_VERSION}.dsc does not match SPARSE_DSC_SHA256"
			rc=1
		elif ! (cd "$d" && dpkg-source -q -x "sparse_${SPARSE_DEB_VERSION#*:}.dsc" src) >"$d/log" 2>&1 ||
		     ! make -s -C "$d/src" -j2 CC=gcc sparse HAVE_LLVM=no HAVE_SQLITE=no HAVE_LIBXML=no HAVE_GTK=no >>"$d/log" 2>&1; then
			tail -n 20 "$d/log" >&2
			log "building sparse $SPARSE_DEB_VERSION failed"
			rc=1
		else
			mkdir -p "$dir" && cp "$d/src/sparse" "$dir/"
		fi
		rm -rf "$d"
		[ $rc -eq 0 ] || return 1
	fi
	sparse_parses "$dir" || { log "sparse $SPARSE_DEB_VERSION cannot parse $(ktree) either"; return 1; }
	echo "$dir"
}

# What building and testing the kernel needs.
need_build_deps() {
	need gcc:build-essential make:make bc:bc bison:bison flex:flex \
		libelf-dev libssl-dev pahole:dwarves cpio:cpio xz:xz-utils \
		python3:python3 perl:perl git:git
}

need_vm_deps() {
	need qemu-system-x86_64:qemu-system-x86 busybox-static bash-static
}

# Seconds since the epoch, for timings.
now() { date +%s; }

# A duration in seconds as "42s" or "3m05s".
fmt_secs() {
	if [ "$1" -ge 60 ]; then printf '%dm%02ds' $(($1 / 60)) $(($1 % 60))
	else printf '%ds' "$1"; fi
}

# A sign of life during a long step that prints nothing itself (a quiet
# build, a guest boot, a download):
#
#   progress_start LABEL COMMAND [ARGS...]
#   ... the long step ...
#   progress_stop
#
# prints "LABEL: ELAPSED, STATUS" on stderr, STATUS being the first line
# COMMAND prints at that moment (a function of the caller, e.g. one that
# reads a log).  On a terminal one line, rewritten in place every 15 s and
# cleared by progress_stop; elsewhere (a CI log) a plain line every 60 s.
# ZS_PROGRESS=0 turns it off, ZS_PROGRESS_EVERY=SECONDS sets the interval.
# One at a time; progress_start sets an EXIT trap that stops it (a script
# with an EXIT trap of its own calls progress_stop there).
ZS_PROGRESS_PID= ZS_PROGRESS_TTY=
progress_start() {
	local label=$1 every=${ZS_PROGRESS_EVERY:-} cols=
	shift
	progress_stop
	[ "${ZS_PROGRESS:-1}" != 0 ] || return 0
	ZS_PROGRESS_TTY=
	if [ -t 2 ]; then
		ZS_PROGRESS_TTY=1
		cols=$(stty size <&2 2>/dev/null | awk '{ print $2 }') || true
	fi
	[ -n "$every" ] || every=$([ -n "$ZS_PROGRESS_TTY" ] && echo 15 || echo 60)
	[[ $cols =~ ^[0-9]+$ ]] && [ "$cols" -ge 20 ] || cols=80
	(
		# No descriptor of the caller's but stderr: none of its locks
		# (scripts/build's) or pipes is held by this loop.  The sleep
		# runs in the background so that the TERM of progress_stop is
		# handled at once, and with nothing open at all.
		for fd in /proc/$BASHPID/fd/*; do
			fd=${fd##*/}
			[ "$fd" -le 2 ] || eval "exec $fd>&-" 2>/dev/null || true
		done
		exec </dev/null >/dev/null
		sp=
		trap '[ -z "$sp" ] || kill "$sp" 2>/dev/null; exit 0' TERM
		start=$(now)
		while :; do
			sleep "$every" </dev/null >/dev/null 2>&1 & sp=$!
			wait "$sp" || true
			sp=
			# The script is gone (killed without its EXIT trap).
			kill -0 $$ 2>/dev/null || exit 0
			st=$("$@" 2>/dev/null | head -n 1) || true
			line="$label: $(fmt_secs $(( $(now) - start )))${st:+, $st}"
			if [ -n "$ZS_PROGRESS_TTY" ]; then
				printf '\r\033[K%s' "${line:0:$((cols - 1))}" >&2
			else
				printf '%s\n' "$line" >&2
			fi
		done
	) &
	ZS_PROGRESS_PID=$!
	trap progress_stop EXIT
}

progress_stop() {
	[ -n "$ZS_PROGRESS_PID" ] || return 0
	kill "$ZS_PROGRESS_PID" 2>/dev/null || true
	wait "$ZS_PROGRESS_PID" 2>/dev/null || true
	ZS_PROGRESS_PID=
	[ -z "$ZS_PROGRESS_TTY" ] || printf '\r\033[K' >&2
}

# b4_am MBOX OUT: what a reviewer's `b4 am` makes of an mbox such as
# scripts/mbox writes: OUT gets b4's am-ready mbox (the patches in order,
# without the cover letter, ready for a plain `git am`), OUT.log b4's
# messages.  b4 runs offline (--offline-mode, the mbox given with -m, so
# it fetches nothing from lore), asks nothing (--no-interactive), with
# none of the user's git or b4 configuration (so b4's defaults: nothing
# added to the patches) and a cache of its own, in the kernel tree so that
# it checks the mbox's base-commit.  b4 wants a user.email even when it
# adds no trailer of its own (a KeyError, exit 1, on a machine whose git
# has none): it gets the project's identity, from the environment.  Fails if b4 fails or its mbox does not
# have the mbox's patches 1..N in order.
#
# The mbox goes to b4 on stdin (-m -): b4 0.12 (Debian 12) reads a file
# given to -m with Python's legacy mbox parser, keeps a folded Subject's
# line break, and dies on the first one ("ValueError: Header values may
# not contain linefeed or carriage return characters"); git format-patch
# folds every long subject.  On stdin it splits the mbox with git
# mailsplit and parses it as it parses lore's.
b4_am() {
	local mbox=$1 out=$2 d rc=0 want got
	need b4:b4
	d=$(mktemp -d)
	( cd "$(ktree)" 2>/dev/null || cd "$d"
	  XDG_CACHE_HOME=$d/cache XDG_CONFIG_HOME=$d/config XDG_DATA_HOME=$d/data \
	  GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
	  GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="$ZS_IDENT_NAME" \
	  GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1="$ZS_IDENT_EMAIL" \
	  b4 --offline-mode --no-interactive am -m - -o - ) < "$mbox" > "$out" 2> "$out.log" || rc=$?
	rm -rf "$d"
	# (b4 names the lore address the thread would have; it has no use here.)
	sed -i '/^ *Link: /d' "$out.log"
	if [ $rc -ne 0 ]; then
		log "b4 am failed (exit $rc); its messages: $out.log"
		tail -n 5 "$out.log" >&2
		return 1
	fi
	# Every patch of the series, 1 to N of the mbox's [PATCH n/N], in
	# order, is in what b4 made of it (b4 itself only warns when the
	# thread misses one).
	want=$(grep -m 1 -oE '^Subject: \[PATCH[^]]* [0-9]+/[0-9]+\]' "$mbox" |
		sed -E 's|.*/0*([0-9]+)\]$|\1|')
	got=$(grep -oE '^Subject: \[PATCH[^]]* [0-9]+/[0-9]+\]' "$out" |
		sed -E 's|.* 0*([0-9]+)/[0-9]+\]$|\1|' | tr '\n' ' ')
	if [ -z "$want" ] || [ "$got" != "$(seq -s ' ' 1 "$want") " ]; then
		log "b4 am gave patches '${got% }' of 1..${want:-?}; its messages: $out.log"
		grep -E 'ERROR|WARNING' "$out.log" >&2 || true
		return 1
	fi
}

# The project's own semantic patch: struct page field accesses in
# mm/zsmalloc.c (scripts/cocci/zsmalloc-page-fields.cocci).
ZS_PAGE_FIELDS_COCCI=$ZS_SCRIPTS/cocci/zsmalloc-page-fields.cocci

# page_field_reports REF OUT: run it on mm/zsmalloc.c as the kernel tree's
# commit REF has it (read with git show, so no checkout is touched); OUT
# gets the reports, one a line ("mm/zsmalloc.c:LINE:COLS: struct page
# field access ..."), OUT.unparsed the number of lines of the file that
# spatch could not parse (code it does not look at; the "bad:" lines of
# OUT.log show them).  Fails if spatch fails or prints anything on stdout
# that is not a report.  One spatch run, about a second.
# page_field_reports -f FILE OUT: the same on FILE, checked as if it were
# mm/zsmalloc.c (the harness sample, scripts/cocci/page-fields-sample.c).
page_field_reports() {
	local ref=$1 out=$2 d rc=0
	local re='^mm/zsmalloc\.c:[0-9]+:[0-9-]+: struct page field access '
	[ "$1" != -f ] || ref=$2 out=$3
	d=$(mktemp -d)
	mkdir -p "$d/mm"
	if [ "$1" = -f ]; then
		cp "$ref" "$d/mm/zsmalloc.c" || { rm -rf "$d"; return 1; }
	elif ! kgit show "$ref:mm/zsmalloc.c" > "$d/mm/zsmalloc.c"; then
		rm -rf "$d"; return 1
	fi
	(cd "$d" && spatch --quiet --parse-error-msg --verbose-parsing \
		--no-includes -D report --sp-file "$ZS_PAGE_FIELDS_COCCI" \
		mm/zsmalloc.c) > "$d/out" 2> "$out.log" || rc=1
	grep -E "$re" "$d/out" | sort -t: -k2,2n > "$out" || true
	grep -vqE "$re" "$d/out" && rc=1
	awk '/^badcount: [0-9]+$/ { n += $2 } END { print n + 0 }' "$out.log" > "$out.unparsed"
	if [ $rc -ne 0 ]; then
		log "spatch failed on $ref (mm/zsmalloc.c) (see $out.log)"
		cat "$d/out" >&2
		grep -vE '^(Warning: PARSING|bad:)' "$out.log" | tail -n 5 >&2
	fi
	rm -rf "$d"
	return $rc
}

# worktree_at DIR REV: a detached worktree of the kernel tree at REV in DIR
# (kept in the cache and reused; checked out again only if it moved).
worktree_at() {
	local wt=$1 rev=$2
	kgit worktree prune
	if [ -d "$wt" ] && git -C "$wt" rev-parse --git-dir >/dev/null 2>&1 &&
	   [ "$(git -C "$wt" rev-parse --path-format=absolute --git-common-dir)" = \
	     "$(kgit rev-parse --path-format=absolute --git-common-dir)" ]; then
		[ "$(git -C "$wt" rev-parse HEAD)" = "$rev" ] ||
			git -C "$wt" checkout -q -f --detach "$rev"
	else
		rm -rf "$wt"
		kgit worktree add -q --detach "$wt" "$rev" >&2
	fi
}

# rejoin_console IN OUT: the guest's console log IN with every line of the
# guest's whole again.  The kernel and the guest share the console, and
# since the serial console prints from its own thread (7.x's nbcon), a
# kernel message can land in the middle of a line the guest is writing:
#   ZSTEST: setup/zram-swap: PASS[    5.083701] Adding 1048572k swap ...
#   <the rest of the guest's line, here only its end of line>
# A kernel message is always printed whole, from its timestamp to its end
# of line, so each one that starts after other text on a line is put on a
# line of its own, and the text before it is kept and put in front of the
# guest's next line that is not a kernel message.  Carriage returns go.
# A line of the guest's own that holds such a timestamp after other text
# would be split too: the guest's scripts print none.
# Prints how many lines it rejoined.
rejoin_console() {
	perl -e '
		my ($in, $out) = @ARGV; my ($p, $n) = ("", 0);
		open(my $i, "<", $in) or die "$in: $!\n";
		open(my $o, ">", $out) or die "$out: $!\n";
		while (<$i>) {
			s/\r//g;
			my $k = qr/\[ *\d+\.\d+\] /;
			if (!/^$k/ && /^(.+?)($k.*)\z/s) {
				$p .= $1; $n++; $_ = $2;
			}
			if (/^$k/) {
				print $o $_;
			} else {
				print $o $p, $_; $p = "";
			}
		}
		print $o "$p\n" if $p ne "";
		close($o) or die "$out: $!\n";
		print "$n\n";
	' "$1" "$2"
}
