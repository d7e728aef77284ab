/*
 * diagram.h - entity-relationship diagrams of a schema, as text.
 *
 * Two outputs: Mermaid `erDiagram` (rendered by GitHub-style viewers inside
 * Markdown) and Graphviz `dot` (the command line pipes it through
 * `dot -Tsvg` for an image). Both list every table in schema order with its
 * columns, types and key marks, and draw one line per foreign key with
 * crow's-foot cardinality, labelled with the relationship that uses it.
 * docs/diagrams.md describes the conventions.
 */
#ifndef RT_GEN_DIAGRAM_H
#define RT_GEN_DIAGRAM_H

#include "base/buf.h"
#include "schema/metadata.h"

/* Appends the Mermaid erDiagram of s to out. Returns RT_OK or RT_ENOMEM. */
int rt__diagram_mermaid(rt_buf *out, const rt_schema *s);

/* Appends the Graphviz digraph of s to out. Returns RT_OK or RT_ENOMEM. */
int rt__diagram_dot(rt_buf *out, const rt_schema *s);

#endif
