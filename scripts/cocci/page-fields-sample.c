// SPDX-License-Identifier: GPL-2.0
/*
 * Input for the harness check of zsmalloc-page-fields.cocci (scripts/check,
 * harness/cocci-page-fields-sample): every line that accesses a field of
 * struct page ends with the marker comment "report", and the semantic patch
 * must report exactly those lines, no more and no fewer.  It is checked as
 * if it were mm/zsmalloc.c, without headers, as the real file is.  A base
 * whose own mm/zsmalloc.c no longer touches page fields (7.3, with struct
 * zpdesc upstream) still shows the rule finding what it looks for here.
 */

struct page {
	unsigned long flags;
	unsigned long private;
	unsigned long index;
	unsigned int page_type;
};

struct zsdesc {
	unsigned long flags;
	unsigned long handle;
};

struct zspage {
	struct page *first_page;
	struct zsdesc *first_zsdesc;
};

unsigned long page_private(struct page *page);

static unsigned long pointer(struct page *page)
{
	return page->index;				/* report */
}

static void deref(struct page *page)
{
	(*page).private = 0;				/* report */
}

static unsigned long element(struct page *pages)
{
	return pages[1].flags;				/* report */
}

static unsigned int value(struct page copy)
{
	return copy.page_type;				/* report */
}

static unsigned long member(struct zspage *zspage)
{
	return zspage->first_page->index;		/* report */
}

static unsigned long cast(void *p)
{
	return ((struct page *)p)->private;		/* report */
}

/* None of these is a field access of struct page. */
static unsigned long not_page_fields(struct zspage *zspage, struct zsdesc *zsdesc)
{
	unsigned long n = zsdesc->handle + zspage->first_zsdesc->flags;

	return n + page_private(zspage->first_page);
}
