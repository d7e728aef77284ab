/*
 * joined.h - joined-table inheritance inside the ORM (joined.c reads,
 * flush_joined.c writes).
 */
#ifndef RETORT_ORM_JOINED_H
#define RETORT_ORM_JOINED_H

#include "orm/orm.h"

struct rt_colset;

/* One table of a joined model, as the flush writes it: a description of
 * the table's columns (key columns first, then those the level declares)
 * whose descriptions are the model's (so they read and write the model's
 * struct), and for each the index of the model's column it is. */
typedef struct rt_table_part {
	rt_model_desc desc;
	const int *model_column;
} rt_table_part;

/* Whether model's rows span several tables (it or an ancestor is joined). */
bool rt__model_multi_table(const rt_model_desc *model);
/* Whether reading model reads several tables: it, an ancestor or one of
 * its subclasses is joined. */
bool rt__model_joined_tree(const rt_model_desc *model);

/* The FROM item of model's rows: its table, or for a model of a joined
 * tree the derived table joining its tables (joined.c's comment). The
 * caller writes the alias after it. */
void rt__sql_model_source(rt_buf *sql, const rt_dialect *d, const rt_model_desc *model);

/* The tables of a multi-table model, root first, cached in the session. */
int rt__joined_parts(rt_session *session, const rt_model_desc *model,
		     const rt_table_part **out, int *out_count);
/* model_columns (indexes of the model's columns) as indexes of part's. */
void rt__joined_columns(const rt_table_part *part, const struct rt_colset *model_columns,
			struct rt_colset *out);

/* The flush's statements of multi-table models (flush_joined.c): each
 * table written in turn, as rt__flush_insert, rt__flush_update (with
 * rt__flush_read_generated) and rt__flush_delete write one. */
int rt__joined_insert(rt_session *session, rt_conn *conn, const rt_model_desc *model,
		      rt_object *const *objects, size_t count, const struct rt_colset *columns);
int rt__joined_update(rt_session *session, rt_conn *conn, const rt_model_desc *model,
		      rt_object *const *objects, size_t count, const struct rt_colset *columns);
int rt__joined_delete(rt_session *session, rt_conn *conn, const rt_model_desc *model,
		      rt_object *const *objects, size_t count);

/* RT_EINVAL naming model and what it cannot do when model is of a joined
 * tree (set-based writes, upserts, row locks); RT_OK otherwise. */
int rt__joined_refuse(const rt_model_desc *model, const char *what);

#endif
