/*
 * models_main.c - a program built on the code retort_generate() made from
 * models.rt: it prints each model of the generated set with its table and
 * columns, read from the static descriptions.
 */
#include <stdio.h>

#include "models.h"

int main(void)
{
	printf("%d models\n", models_models.model_count);
	for (int i = 0; i < models_models.model_count; i++) {
		const rt_model_desc *m = models_models.models[i];
		printf("%s (%s):", m->name, m->table);
		for (int c = 0; c < m->column_count; c++)
			printf(" %s", m->columns[c].name);
		printf("\n");
	}
	/* The typed handles name the same columns. */
	return Author_c.name.ref.model == &Author_model && Note_c.text.ref.column == 2 ? 0 : 1;
}
