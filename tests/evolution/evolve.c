/*
 * evolve.c - the randomised evolution test of the migration commands.
 *
 *   evolve RETORT BACKEND WORK_DIR [STEPS]
 *
 * Keeps a model of a schema in memory and changes it at random, one step
 * at a time, covering every kind of change autogenerate knows: tables
 * (create, drop, rename via `was`), columns (add, drop, rename via `was`,
 * type, nullability, server default, collation), primary keys, unique
 * constraints, indexes, foreign keys with their actions, checks, enums and
 * enum values, char(n) columns, generated columns (added and dropped);
 * and where the backend has them (its dialect's caps say so: a kind it
 * lacks is never made), partial, expression, descending, method and
 * covering indexes (made, changed, dropped), the table options strict and
 * without rowid (set and cleared), deferrable foreign keys, partitioned
 * tables with partitions added and dropped, views (of one or two tables,
 * on a view), materialized views, functions and triggers (made, replaced,
 * dropped, renamed; a table or column they read goes only with them), domains
 * (made with a column of theirs, replaced, columns moved to them and
 * back, dropped), sequences (made, changed, taken by a column's default,
 * dropped), aggregates and procedures (made, replaced, dropped); each of
 * these SQL objects also renamed via `was` (evolve_renames.c); a second
 * schema's tables, enums, views and sequences (PostgreSQL), `server
 * onupdate now` and a table's collation (MariaDB), a view's security
 * invoker (PostgreSQL, MariaDB); array
 * columns (int[], text[]: added, made from strings, dropped) and columns
 * of a verbatim type (sql '...').
 * Each step writes models.rt and runs the real commands, as a user would:
 *
 *   retort revision --autogenerate -m "step N"   a script is written
 *   retort upgrade head
 *   (the database, reflected, equals the models: rt_schema_equal on both
 *    canonicalized for the dialect, the version tables left aside)
 *   retort check                                 exits 0
 *   retort revision --autogenerate -m again      "No changes detected"
 *
 * Rows are inserted along the way (values bound, identifiers quoted) and
 * read back after every step: a row survives every change that keeps its
 * table and a value every change that keeps its column (a type change
 * re-reads the column, as the database may print it differently). Data
 * a change needs is prepared first, as a user would in the script (a NOT
 * NULL column gets values, a column moved to an enum gets enum values).
 * At the end the rows are deleted and `retort downgrade base` must leave
 * only the version tables (and on PostgreSQL no enum type).
 *
 * The model and its changes are in evolve_model.c and evolve_changes.c
 * (evolve.h), the rows in evolve_rows.c; here are the runs of retort, the
 * checks and the loop.
 *
 * The seed is fixed unless RETORT_SEED says otherwise (a number replays
 * that run, "random" picks a new seed); it is printed. RETORT_EVOLUTION_STEPS
 * overrides the number of steps (default 200, each one change or, one step
 * in five, two or three). On PostgreSQL the run uses its own database,
 * "evolution", on the server at RETORT_PG_URL; on another server backend
 * (MariaDB), on the server at RETORT_EVOLUTION_URL. Rows are deleted with
 * key checks off by the statement in evolution/<backend>.keys_off.sql
 * (under RETORT_SOURCE_DIR) where the backend has one. The work folder is kept
 * when the test fails.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "engine/engine.h"
#include "evolution/evolve.h"
#include "migrate/lock.h"
#include "migrate/progress.h"
#include "migrate/version.h"
#include "retort.h"
#include "schema/metadata.h"

extern char **environ;

/* ---- the backend ---------------------------------------------------------- */

/* Does the dialect keep ON DELETE RESTRICT apart from NO ACTION? Its
 * canonical form of a key saying so answers (InnoDB's two are one). */
static bool restrict_kept(const rt_dialect *dialect)
{
	static const char probe[] = "table p {\n id bigint primary key\n"
				    " r bigint? references p(id) on delete restrict\n}\n";
	rt_schema *s = NULL;
	bool kept = true;
	if (rt_schema_parse_string(&s, probe, strlen(probe), "probe.rt", NULL) == RT_OK) {
		dialect->canonicalize(s);
		const rt_table *t = rt__schema_find_table(s, "p");
		for (size_t i = 0; t && i < t->constraint_count; i++)
			if (t->constraints[i]->kind == RT_CONSTRAINT_FOREIGN_KEY)
				kept = t->constraints[i]->on_delete == RT_FK_RESTRICT;
	}
	rt_schema_free(s);
	return kept;
}

/* Are string and text one type in the dialect's canonical form? */
static bool string_is_text(const rt_dialect *dialect)
{
	static const char probe[] = "table p {\n id bigint primary key\n a string\n b text\n}\n";
	rt_schema *s = NULL;
	bool one = false;
	if (rt_schema_parse_string(&s, probe, strlen(probe), "probe.rt", NULL) == RT_OK) {
		dialect->canonicalize(s);
		const rt_table *t = rt__schema_find_table(s, "p");
		const rt_column *a = t ? rt__table_find_column(t, "a") : NULL;
		const rt_column *b = t ? rt__table_find_column(t, "b") : NULL;
		one = a && b && a->type.kind == b->type.kind && a->type.length == b->type.length;
	}
	rt_schema_free(s);
	return one;
}

/* ---- running retort ---------------------------------------------------- */

static const char *retort_path;
static char out_text[1 << 16], err_text[1 << 16];

static void slurp(const char *path, char *buf, size_t size)
{
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	size_t n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Runs retort with args (NULL-terminated) in the work folder; its output
 * lands in out_text / err_text. Returns its exit status (-1: did not run
 * or was killed). */
static int run_retort(const char *first, ...)
{
	const char *argv[16];
	int argc = 0;
	argv[argc++] = retort_path;
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && argc < 15; a = va_arg(ap, const char *))
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;

	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "retort.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, "retort.err", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	pid_t pid;
	int rc = posix_spawn(&pid, retort_path, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "evolve: cannot run %s: %s\n", retort_path, strerror(rc));
		return -1;
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	slurp("retort.out", out_text, sizeof(out_text));
	slurp("retort.err", err_text, sizeof(err_text));
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- the database ------------------------------------------------------ */

static rt_engine *engine;

static rt_conn *connect_db(void)
{
	rt_conn *conn = NULL;
	if (rt_conn_open(&conn, engine) != RT_OK) {
		fprintf(stderr, "evolve: connect: %s\n", rt_error_last()->message);
		return NULL;
	}
	return conn;
}

/* ---- checks ------------------------------------------------------------ */

/* The runner's own tables: the version tables, and the lock and progress
 * tables where the runner keeps them in the database (MariaDB). */
static bool is_version_table(const char *name)
{
	return strcmp(name, "alembic_version") == 0 || strcmp(name, RT_HISTORY_TABLE) == 0 ||
	       strcmp(name, RT_LOCK_TABLE) == 0 || strcmp(name, RT_PROGRESS_TABLE) == 0;
}

/* The database, reflected without the version tables, must equal the
 * models text, both canonicalized for the dialect. */
/* The database, read from the schemas retort.ini lists (w.schemas: the
 * second one too), as retort reads it. */
static int reflect(rt_schema **db, rt_conn *conn)
{
	static const char *const schemas[] = { "public", "billing" };
	return rt__conn_reflect(db, conn, schemas, w.schemas ? 2 : 0);
}

static int compare_with_models(rt_conn *conn, const char *models)
{
	rt_schema *db = NULL, *model = NULL;
	if (reflect(&db, conn) != RT_OK) {
		fprintf(stderr, "evolve: reflect: %s\n", rt_error_last()->message);
		return 1;
	}
	size_t kept = 0;
	for (size_t i = 0; i < db->table_count; i++)
		if (!is_version_table(db->tables[i]->name))
			db->tables[kept++] = db->tables[i];
	db->table_count = kept;
	int status = 0;
	if (rt_schema_parse_string(&model, models, strlen(models), "models.rt", NULL) != RT_OK) {
		fprintf(stderr, "evolve: the models do not parse: %s\n", rt_error_last()->message);
		status = 1;
	}
	unsigned flags = RT_COMPARE_DATABASE;
	if (!engine->dialect->caps.comments)
		flags |= RT_COMPARE_IGNORE_COMMENTS;
	if (status == 0) {
		engine->dialect->canonicalize(model);
		engine->dialect->canonicalize(db);
		/* The models' views, functions and triggers as the database
		 * renders them, as check compares them. */
		if (rt__conn_render_sql_objects(conn, model) != RT_OK) {
			fprintf(stderr, "evolve: rendering the models' objects: %s\n",
				rt_error_last()->message);
			status = 1;
		}
	}
	if (status == 0) {
		if (!rt_schema_equal(db, model, flags)) {
			char *diff = NULL;
			if (rt_schema_differences(&diff, db, model, flags) == RT_OK)
				fprintf(stderr, "evolve: the database (first) differs from the models "
						"(second):\n%s\n", diff);
			rt_free(diff);
			status = 1;
		}
	}
	rt_schema_free(db);
	rt_schema_free(model);
	return status;
}

/* After downgrade base: only the version tables, and no enum type. */
static int check_empty(rt_conn *conn)
{
	rt_schema *db = NULL;
	if (reflect(&db, conn) != RT_OK) {
		fprintf(stderr, "evolve: reflect: %s\n", rt_error_last()->message);
		return 1;
	}
	int status = 0;
	bool version = false;
	for (size_t i = 0; i < db->table_count; i++) {
		if (is_version_table(db->tables[i]->name)) {
			version = version || strcmp(db->tables[i]->name, "alembic_version") == 0;
			continue;
		}
		fprintf(stderr, "evolve: after downgrade base, table %s is left\n", db->tables[i]->name);
		status = 1;
	}
	for (size_t i = 0; i < db->enum_count; i++) {
		fprintf(stderr, "evolve: after downgrade base, enum %s is left\n", db->enums[i]->name);
		status = 1;
	}
	for (size_t i = 0; i < db->sql_object_count; i++) {
		fprintf(stderr, "evolve: after downgrade base, %s is left\n", db->sql_objects[i]->name);
		status = 1;
	}
	if (!version) {
		fprintf(stderr, "evolve: after downgrade base, alembic_version is gone\n");
		status = 1;
	}
	rt_schema_free(db);
	return status;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "evolve: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int count_scripts(void)
{
	/* the scripts written so far: versions/s0001_*.rt ... (names are ours) */
	FILE *p = popen("ls migrations/versions | grep -c '\\.rt$'", "r");
	int n = -1;
	if (p) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

static void show_failure(const char *what, int step, const char *models, uint64_t seed)
{
	fprintf(stderr,
		"\nevolve: FAILED at step %d: %s\n"
		"  the step: %s\n"
		"  replay: RETORT_SEED=%llu\n"
		"---- models.rt\n%s"
		"---- retort stdout\n%s"
		"---- retort stderr\n%s"
		"----\n",
		step, what, w.description, (unsigned long long)seed, models, out_text, err_text);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


/* ---- main --------------------------------------------------------------- */

/* The statement in evolution/<backend>.keys_off.sql, or NULL. */
static const char *read_keys_off(const char *backend)
{
	const char *source = getenv("RETORT_SOURCE_DIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/evolution/%s.keys_off.sql", source ? source : ".",
		 backend);
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	static char text[256];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ';'))
		n--;
	text[n] = '\0';
	return n ? text : NULL;
}

static int setup_server(const char *server_url, char *url, size_t size)
{
	rt_engine *server = NULL;
	rt_conn *conn = NULL;
	int rc = rt_engine_open(&server, server_url, NULL);
	if (rc == RT_OK)
		rc = rt_conn_open(&conn, server);
	if (rc == RT_OK)
		rc = rt_conn_execute(conn, "DROP DATABASE IF EXISTS \"evolution\"");
	if (rc == RT_OK)
		rc = rt_conn_execute(conn, "CREATE DATABASE \"evolution\"");
	if (rc != RT_OK)
		fprintf(stderr, "evolve: %s: %s\n", server_url, rt_error_last()->message);
	rt_conn_close(conn);
	rt_engine_free(server);
	const char *slash = strrchr(server_url, '/');
	snprintf(url, size, "%.*s/evolution", (int)(slash - server_url), server_url);
	return rc == RT_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: evolve RETORT BACKEND WORK_DIR [STEPS]\n");
		return 2;
	}
	retort_path = argv[1];
	const char *backend = argv[2];
	w.postgres = strcmp(backend, "postgresql") == 0;
	w.keys_off = read_keys_off(backend);
	const char *work = argv[3];
	int steps = argc == 5 ? atoi(argv[4]) : 200;
	if (getenv("RETORT_EVOLUTION_STEPS"))
		steps = atoi(getenv("RETORT_EVOLUTION_STEPS"));

	uint64_t seed;
	const char *seed_env = getenv("RETORT_SEED");
	/* One fixed seed by default, so CI never flickers; RETORT_SEED=<n>
	 * replays another run, RETORT_SEED=random explores a new one. */
	if (!seed_env || !*seed_env) {
		seed = 20261121u;
	} else if (strcmp(seed_env, "random") != 0) {
		seed = strtoull(seed_env, NULL, 10);
	} else {
		struct timeval tv;
		gettimeofday(&tv, NULL);
		seed = ((uint64_t)tv.tv_sec * 1000003u) ^ (uint64_t)tv.tv_usec ^ ((uint64_t)getpid() << 20);
		seed %= 1000000000u;
	}
	w.rng = seed * 0x9E3779B97F4A7C15ULL + 1;
	printf("evolve: %s, %d steps, seed %llu (RETORT_SEED=%llu replays)\n", argv[2], steps,
	       (unsigned long long)seed, (unsigned long long)seed);
	fflush(stdout);

	if (retort_path[0] != '/') {
		fprintf(stderr, "evolve: RETORT must be an absolute path\n");
		return 2;
	}
	char command[4096];
	snprintf(command, sizeof(command), "rm -rf '%s' && mkdir -p '%s'", work, work);
	if (system(command) != 0 || chdir(work) != 0) {
		fprintf(stderr, "evolve: cannot prepare %s\n", work);
		return 1;
	}
	char url[1024];
	if (strcmp(backend, "sqlite") != 0) {
		const char *name = w.postgres ? "RETORT_PG_URL" : "RETORT_EVOLUTION_URL";
		const char *server = getenv(name);
		if (!server || !strrchr(server, '/')) {
			fprintf(stderr, "evolve: %s is not set\n", name);
			return 1;
		}
		if (setup_server(server, url, sizeof(url)) != 0)
			return 1;
	} else {
		snprintf(url, sizeof(url), "sqlite:///evolution.db");
	}
	/* The project, as the reference workflow makes it. */
	if (run_retort("-q", "init", "migrations", (char *)NULL) != 0) {
		fprintf(stderr, "evolve: retort init failed:\n%s%s", out_text, err_text);
		return 1;
	}
	if (rt_engine_open(&engine, url, NULL) != RT_OK) {
		fprintf(stderr, "evolve: %s: %s\n", url, rt_error_last()->message);
		return 1;
	}
	w.schemas = engine->dialect->caps.schemas;
	char ini[2048];
	snprintf(ini, sizeof(ini),
		 "[retort]\nscript_location = migrations\nschema = models.rt\nurl = %s\n"
		 "file_template = %%%%(rev)s_%%%%(slug)s\nversion_table = alembic_version\n%s", url,
		 w.schemas ? "schemas = public, billing\n" : "");
	if (write_file("retort.ini", ini) != 0)
		return 1;
	w.native_enums = engine->dialect->caps.enum_kind == RT_ENUM_TYPE;
	w.index_unbounded = engine->dialect->caps.index_unbounded;
	w.restrict_kept = restrict_kept(engine->dialect);
	w.string_is_text = string_is_text(engine->dialect);
	w.generated_virtual = engine->dialect->caps.generated_virtual;
	const rt_dialect *dialect = engine->dialect;
	w.backend = backend;
	w.index_where = dialect->caps.index_where;
	w.index_expressions = dialect->caps.index_expressions;
	w.index_include = dialect->caps.index_include;
	w.index_desc = dialect->caps.index_desc;
	const char *methods[MAX_METHODS];
	int nmethods = 0;
	for (const rt_index_method *m = dialect->index_methods; m && m->name && nmethods < MAX_METHODS;
	     m++)
		methods[nmethods++] = m->name;
	pick_methods(methods, nmethods);
	w.table_options = dialect->table_option_sql[0] && dialect->table_option_sql[1];
	w.deferrable = dialect->caps.deferrable_foreign_keys;
	w.partitioning = dialect->partition_of != NULL;
	static const int obj_sql_kind[OBJ_KIND_COUNT] = {
		[OBJ_VIEW] = RT_SQL_VIEW, [OBJ_MATVIEW] = RT_SQL_MATERIALIZED_VIEW,
		[OBJ_FUNCTION] = RT_SQL_FUNCTION, [OBJ_TRIGGER] = RT_SQL_TRIGGER,
		[OBJ_DOMAIN] = RT_SQL_DOMAIN, [OBJ_SEQUENCE] = RT_SQL_SEQUENCE,
		[OBJ_AGGREGATE] = RT_SQL_AGGREGATE, [OBJ_PROCEDURE] = RT_SQL_PROCEDURE,
	};
	for (int k = 0; k < OBJ_KIND_COUNT; k++)
		if (dialect->caps.sql_object_kinds & (1u << obj_sql_kind[k]))
			w.sql_kinds |= 1u << k;
	w.views_pin_types = w.postgres;
	w.arrays = dialect->caps.arrays;
	w.onupdate = dialect->caps.server_onupdate;
	w.table_collation = dialect->table_collation != NULL;
	w.view_invoker = dialect->view_invoker_before || dialect->view_invoker_after;
	/* A type the language has no word for, which each backend keeps as
	 * declared (and reads back so). */
	w.verbatim = strcmp(backend, "sqlite") == 0 ? "ipaddr" : w.postgres ? "tsvector" : "tinytext";
	/* A collation each backend has, other than its default. */
	w.collation = strcmp(backend, "sqlite") == 0 ? "nocase"
		      : w.postgres                   ? "\"C\""
						     : "utf8mb4_bin";

	int status = 0, changes = 0, revisions = 0, step;
	double started = now_seconds();
	rt_buf models = RT_BUF_INIT;
	for (step = 1; step <= steps && status == 0; step++) {
		w.description[0] = '\0';
		w.invisible = 0;
		w.step = step;
		/* `was` markers say what the previous step renamed; drop them. */
		forget_renames();
		rt_conn *conn = connect_db();
		if (!conn) {
			status = 1;
			break;
		}
		/* The first steps build a few tables; then any change. */
		int n = step <= 3 ? 1 : chance(20) ? 2 + rnd(2) : 1;
		int made = 0;
		for (int i = 0; i < n; i++) {
			if (step > 3)
				made += random_change(conn);
			else
				made += first_tables_change(conn);
		}
		rt_conn_close(conn);
		if (made == 0)
			continue;
		changes += made;

		rt__buf_clear(&models);
		write_models(&models);
		if (write_file("models.rt", models.ptr) != 0) {
			status = 1;
			break;
		}
		char rev[16], msg[32];
		snprintf(rev, sizeof(rev), "s%04d", step);
		snprintf(msg, sizeof(msg), "step %d", step);
		int rc = run_retort("revision", "--autogenerate", "-m", msg, "--rev-id", rev, (char *)NULL);
		if (rc != 0) {
			show_failure("retort revision --autogenerate failed", step, models.ptr, seed);
			status = 1;
			break;
		}
		bool unseen = strstr(err_text, "No changes detected") != NULL;
		if (unseen != (made == w.invisible)) {
			show_failure(unseen ? "the change was not detected"
					    : "autogenerate wrote a script for a change the database cannot see",
				     step, models.ptr, seed);
			status = 1;
			break;
		}
		revisions += !unseen;
		rc = unseen ? 0 : run_retort("upgrade", "head", (char *)NULL);
		if (rc != 0) {
			char script[256];
			snprintf(script, sizeof(script), "cat migrations/versions/%s_*.rt >&2", rev);
			show_failure("retort upgrade head failed", step, models.ptr, seed);
			fprintf(stderr, "---- the script\n");
			if (system(script) != 0)
				fprintf(stderr, "(cannot show it)\n");
			status = 1;
			break;
		}
		conn = connect_db();
		if (!conn || compare_with_models(conn, models.ptr) != 0) {
			show_failure("the database differs from the models after upgrade head", step,
				     models.ptr, seed);
			rt_conn_close(conn);
			status = 1;
			break;
		}
		int bad = 0;
		for (int i = 0; i < w.ntables; i++)
			if (w.tables[i].live)
				bad += read_rows(conn, &w.tables[i]);
		if (bad) {
			show_failure("rows or values were lost", step, models.ptr, seed);
			rt_conn_close(conn);
			status = 1;
			break;
		}
		/* New rows now and then; a new table gets two at once. */
		for (int i = 0; i < w.ntables && status == 0; i++) {
			table *t = &w.tables[i];
			if (!t->live || !(t->nrows == 0 ? chance(70) : chance(8)))
				continue;
			int rows = t->nrows == 0 ? 2 : 1;
			for (int r = 0; r < rows && status == 0; r++)
				status = insert_row(conn, t) == 0 ? 0 : 1;
			if (status == 0)
				bad += read_rows(conn, t);
		}
		rt_conn_close(conn);
		if (status || bad) {
			show_failure("inserting rows failed", step, models.ptr, seed);
			status = 1;
			break;
		}
		rc = run_retort("check", (char *)NULL);
		if (rc != 0) {
			show_failure("retort check did not exit 0 after upgrade head", step, models.ptr,
				     seed);
			status = 1;
			break;
		}
		rc = run_retort("revision", "--autogenerate", "-m", "again", (char *)NULL);
		if (rc != 0 || !strstr(err_text, "No changes detected")) {
			show_failure("a second autogenerate found changes", step, models.ptr, seed);
			if (system("ls migrations/versions | grep -v '^s' | "
				   "sed 's|^|migrations/versions/|' | xargs cat >&2") != 0)
				fprintf(stderr, "(no script written)\n");
			status = 1;
			break;
		}
		remember_script_enums();
	}
	if (status == 0 && count_scripts() != revisions) {
		fprintf(stderr, "evolve: %d scripts in versions/, expected %d\n", count_scripts(),
			revisions);
		status = 1;
	}
	/* Every kind of change must come up in a full run; a shortened one
	 * (the sanitizer pass's 40 steps) checks the steps it took only. */
	if (status == 0 && steps >= 200 && kind_never_made()) {
		fprintf(stderr, "evolve: seed %llu never made a change of kind '%s'\n",
			(unsigned long long)seed, kind_never_made());
		status = 1;
	}
	if (status == 0) {
		rt_conn *conn = connect_db();
		if (!conn || delete_rows(conn) != RT_OK) {
			fprintf(stderr, "evolve: deleting the rows: %s\n", rt_error_last()->message);
			status = 1;
		}
		rt_conn_close(conn);
	}
	if (status == 0) {
		int rc = run_retort("downgrade", "base", (char *)NULL);
		rt_conn *conn = rc == 0 ? connect_db() : NULL;
		if (rc != 0 || !conn || check_empty(conn) != 0) {
			fprintf(stderr, "evolve: downgrade base (exit %d) failed; seed %llu\n%s%s", rc,
				(unsigned long long)seed, out_text, err_text);
			status = 1;
		}
		rt_conn_close(conn);
	}
	rt__buf_free(&models);
	for (int i = 0; i < w.ntables; i++)
		for (int s = 0; s < w.tables[i].ncols; s++)
			for (int r = 0; r < MAX_ROWS; r++)
				free(w.tables[i].cols[s].vals[r]);
	rt_engine_free(engine);
	if (status != 0) {
		fprintf(stderr, "evolve: the work folder is kept: %s\n", work);
		return 1;
	}
	printf("evolve: %d changes in %d revisions, each through revision --autogenerate and "
	       "upgrade head, then downgrade base: all good (%.1f s)\n",
	       changes, revisions, now_seconds() - started);
	print_kinds();
	if (chdir("/") == 0) {
		snprintf(command, sizeof(command), "rm -rf '%s'", work);
		if (system(command) != 0)
			fprintf(stderr, "evolve: could not remove %s\n", work);
	}
	return 0;
}
