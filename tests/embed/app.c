/*
 * app.c - the program of the embedded-migrations test: it migrates its
 * database with the scripts compiled into it (retort_migrations.c, from
 * `retort embed`) through app_migrate of the migrate.c that `retort init
 * -t embedded` wrote, and the library's rt_migrate_* functions.
 *
 *     app URL upgrade            app_migrate: upgrade to head
 *     app URL downgrade TARGET   rt_migrate_downgrade
 *     app URL current            prints rt_migrate_current, "base" for none
 */
#include <stdio.h>
#include <string.h>

#include <retort.h>

extern const rt_migrations migrations;
int app_migrate(rt_engine *engine);

static void progress(void *ctx, const char *line)
{
	(void)ctx;
	printf("progress: %s\n", line);
}

static int run(rt_engine *engine, int argc, char **argv)
{
	const char *action = argv[2];
	if (strcmp(action, "upgrade") == 0 && argc == 3)
		return app_migrate(engine);
	if (strcmp(action, "downgrade") == 0 && argc == 4) {
		rt_migrate_options opts = RT_MIGRATE_OPTIONS_INIT;
		opts.progress = progress;
		return rt_migrate_run(engine, &migrations, RT_MIGRATE_DOWNGRADE, argv[3], &opts);
	}
	if (strcmp(action, "current") == 0 && argc == 3) {
		char *current = NULL;
		int rc = rt_migrate_current(engine, &migrations, &current);
		if (rc == RT_OK)
			printf("%s\n", *current ? current : "base");
		rt_free(current);
		return rc;
	}
	fprintf(stderr, "usage: app URL upgrade | downgrade TARGET | current\n");
	return RT_EINVAL;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: app URL upgrade | downgrade TARGET | current\n");
		return 2;
	}
	rt_engine *engine = NULL;
	int rc = rt_engine_open(&engine, argv[1], NULL);
	if (rc == RT_OK)
		rc = run(engine, argc, argv);
	/* app_migrate reports its own failure. */
	if (rc != RT_OK && strcmp(argv[2], "upgrade") != 0)
		fprintf(stderr, "app: %s\n", rt_error_last()->message);
	rt_engine_free(engine);
	return rc == RT_OK ? 0 : 1;
}
