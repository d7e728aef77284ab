/*
 * cgen.h - the C code generator behind `retort gen`: a header and a source
 * for the models of a schema (docs/codegen.md).
 *
 * The header declares, in schema order, a C enum per schema enum, a struct
 * per model (columns, then relationship fields), the model's description
 * (rt_model_desc, retort/orm.h), its typed column handles and typed
 * functions; the source defines them. The same schema always gives the
 * same bytes, and the output compiles warning-free as strict C11.
 *
 * Files: cgen.c (entry, plan of names and indexes), cgen_names.c (C
 * identifiers, literals, types), cgen_defaults.c (client-side defaults as
 * initializers), cgen_header.c, cgen_source.c.
 */
#ifndef RT_GEN_CGEN_H
#define RT_GEN_CGEN_H

#include "base/buf.h"
#include "schema/metadata.h"

typedef struct rt_cgen_options {
	/* Stem of the output: the model set is <name>_models and the source
	 * includes "<name>.h". A C identifier. */
	const char *name;
	/* The schema's file name as the header comment names it (a base
	 * name, so the output does not depend on where the build runs). */
	const char *source_name;
} rt_cgen_options;

/*
 * Appends the header and the source for schema to header and source.
 * Returns RT_OK, RT_EPARSE when the schema cannot be written as C (two
 * names become the same C identifier, a name clashes with retort's own),
 * RT_EINVAL for a bad option, or RT_ENOMEM; the message says which names.
 */
int rt__cgen(rt_buf *header, rt_buf *source, const rt_schema *schema,
	     const rt_cgen_options *opts);

/* Is name usable as a C identifier (and not a keyword)? */
bool rt__cgen_is_identifier(const char *name);

#endif
