/*
 * relationship_ref.c - the relationship functions that take a handle
 * (Author_r.books, written by `retort gen`) instead of a name: each
 * checks the handle and calls its string form with the relationship's
 * name, so the two forms cannot drift apart. The handle's worth is at
 * compile time: a misspelt member of Author_r does not compile, where a
 * misspelt string fails only when it runs.
 */
#include "base/error.h"
#include "orm/query.h"

/* The name of the relationship a handle names; NULL (error recorded)
 * for a handle that names none. */
static const char *name_of(rt_relationship_ref ref, const char *what)
{
	if (!ref.model || ref.relationship < 0 || ref.relationship >= ref.model->relationship_count) {
		rt__error_set(RT_EINVAL, "%s: not a relationship handle (%s)", what,
			      ref.model ? "index out of range" : "no model");
		return NULL;
	}
	return ref.model->relationships[ref.relationship].name;
}

/* The name, for an object of the handle's model. */
static const char *object_name_of(const void *object, rt_relationship_ref ref, const char *what)
{
	rt_object *header = rt__object_header(object);
	if (!header)
		return NULL;
	const char *name = name_of(ref, what);
	if (name && header->model != ref.model) {
		rt__error_set(RT_EINVAL, "%s: %s.%s is not a relationship of %s", what,
			      ref.model->name, name, header->model->name);
		return NULL;
	}
	return name;
}

int rt_query_join_rel(rt_query *query, rt_relationship_ref relationship)
{
	const char *name = name_of(relationship, "rt_query_join_rel");
	if (!name)
		return rt__query_fail(query, RT_EINVAL);
	return rt_query_join(query, relationship.model, name);
}

int rt_query_eager_rel(rt_query *query, rt_relationship_ref relationship)
{
	const char *name = name_of(relationship, "rt_query_eager_rel");
	if (!name)
		return rt__query_fail(query, RT_EINVAL);
	return rt_query_eager(query, relationship.model, name);
}

int rt_object_load_rel(void *object, rt_relationship_ref relationship)
{
	const char *name = object_name_of(object, relationship, "rt_object_load_rel");
	return name ? rt_object_load(object, name) : RT_EINVAL;
}

int rt_object_link_rel(void *object, rt_relationship_ref relationship, void *target)
{
	const char *name = object_name_of(object, relationship, "rt_object_link_rel");
	return name ? rt_object_link(object, name, target) : RT_EINVAL;
}

int rt_object_unlink_rel(void *object, rt_relationship_ref relationship, void *target)
{
	const char *name = object_name_of(object, relationship, "rt_object_unlink_rel");
	return name ? rt_object_unlink(object, name, target) : RT_EINVAL;
}
