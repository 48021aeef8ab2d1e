// SPDX-License-Identifier: GPL-2.0
/// Report every access to a field of struct page in mm/zsmalloc.c.
///
/// Since the zsdesc conversion (part A of the series), zsmalloc reaches
/// the fields of its pages only through struct zsdesc and the helpers in
/// mm/zsdesc.h, so that when the descriptor is allocated apart from
/// struct page, only those helpers have to change.  A direct field access
/// in zsmalloc.c (page->index, (*page).private, page[0].flags, a field
/// of a struct page value) would silently tie zsmalloc to struct page's
/// layout again; this reports each one, with the field and the function.
///
/// Run it on mm/zsmalloc.c only: the helpers in mm/zsdesc.h are outside
/// that file by construction.  Functions of zsmalloc.c that may touch
/// page fields are named in EXEMPT below (none today).
///
/// The type of an expression is what Coccinelle infers from this file
/// alone (run it without headers): struct page variables, parameters,
/// struct members and casts are known; a struct page pointer returned
/// by a function or macro of a header is not, and is not reported.
/// Nor are struct page accessors that hide the field in a macro or an
/// inline function (page_private(), PagePrivate(), trylock_page(), ...):
/// they are calls here, not field accesses.
//
// Usage: spatch --very-quiet --no-includes -D report \
//        --sp-file scripts/cocci/zsmalloc-page-fields.cocci mm/zsmalloc.c
// One line per access: FILE:LINE:COL-COL: struct page field ...

virtual report

@initialize:python depends on report@
@@
# Functions of mm/zsmalloc.c allowed to access struct page fields, by name.
EXEMPT = set()

@r depends on report@
struct page *p;
struct page v;
identifier f;
position pos;
@@
(
  p@pos->f
|
  v@pos.f
)

@script:python depends on report@
pos << r.pos;
f << r.f;
p << r.p = "";
v << r.v = "";
@@
if pos[0].current_element not in EXEMPT:
	coccilib.report.print_report(pos[0],
		"struct page field access %s%s%s in %s()"
		% (p + "->" if p else "", v + "." if v else "", f,
		   pos[0].current_element))
