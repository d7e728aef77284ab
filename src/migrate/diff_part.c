/*
 * diff_part.c - declarative partitioning in autogenerate: what the
 * differ will not do to a table both sides have.
 *
 * A partition is created and dropped like any table the scripts made
 * (diff_order.c creates it after its partitioned table and drops it
 * before), and its own foreign keys, checks and indexes are compared
 * like any table's; its columns and keys are its partitioned table's, so
 * there is nothing else of it to compare. What cannot change in place is
 * its bound, the table it is a partition of, and a table's PARTITION BY:
 * PostgreSQL has no ALTER for them, and doing it by hand moves every row
 * (detach and attach again, or a new table and a copy). Autogenerate
 * refuses such a change by name, with what to do instead, rather than
 * drop the table with its rows and make it again.
 */
#include "base/buf.h"
#include "base/error.h"
#include "migrate/diff_impl.h"
#include "schema/compare.h"
#include "schema/printer.h"

/* "partition by range (a)", "partition of t default", or "none", in the
 * differ's arena. */
static const char *partitioning(rt_differ *d, const rt_table *table)
{
	rt_buf buf = RT_BUF_INIT;
	rt__print_partitioning(&buf, table);
	const char *text = rt__buf_failed(&buf) ? NULL
		: rt__diff_keep(d, buf.len ? rt__buf_cstr(&buf) + 1 : "none");
	rt__buf_free(&buf);
	return text ? text : "?";
}

int rt__diff_check_partitioning(rt_differ *d, const rt_table *from, const rt_table *to)
{
	const char *what = rt__partitioning_difference(from, to);
	if (!what)
		return RT_OK;
	const char *had = partitioning(d, from), *has = partitioning(d, to);
	if (what[0] == 'b')
		return rt__error_set(RT_EINVAL,
				     "partition %s: its bound is %s in the database and %s in "
				     "the models; retort does not change a bound, which moves "
				     "rows: write the database's bound in the models (inspect "
				     "writes it as PostgreSQL renders it), or detach the "
				     "partition and attach it again with the new bound in an "
				     "execute operation of a script of your own",
				     to->name, from->partition_bound ? from->partition_bound : "DEFAULT",
				     to->partition_bound ? to->partition_bound : "DEFAULT");
	return rt__error_set(RT_EINVAL,
			     "table %s: its partitioning is '%s' in the database and '%s' in "
			     "the models; retort does not change a table's %s, which moves "
			     "every row: keep the database's in the models, or make a new "
			     "table, copy the rows and drop the old one in scripts of your own",
			     to->name, had, has, what);
}
