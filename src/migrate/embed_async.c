/*
 * embed_async.c - the non-blocking forms of the public migration API
 * (rt_async_migrate_* in retort/migrate.h), for a program that migrates
 * itself from its event loop at start-up.
 *
 * They run the blocking forms' own code (embed.c, the runner, the lock)
 * as an operation of rt_async: on a fiber, where every wait for the
 * database yields to the loop (base/wait.c), and so does every pause of
 * the lock's retries (rt__sleep_ms). What needs no database is done at the
 * call: the arguments are checked and the scripts parsed, so that a bad
 * call or a script that does not parse fails at once and never calls done
 * (async.h's rule). The call copies what the operation reads later (the
 * target, the options); the migrations must outlive the operation, as the
 * `const rt_migrations` that `retort embed` writes does.
 */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "migrate/embed.h"
#include "retort/async.h"
#include "retort/migrate.h"

typedef struct migrate_op {
	rt_engine *engine;
	const rt_migrations *migrations;
	rt_migration_set *set;
	rt_migrate_direction direction;
	char *target;                /* a copy; NULL for current */
	rt_migrate_options opts;     /* a copy */
	bool has_opts;
	char *current;               /* current's answer, until done */
	char **out;                  /* where it goes when the operation succeeds */
	rt_async_done done;
	void *user;
} migrate_op;

static void migrate_op_free(migrate_op *m)
{
	rt__migration_set_free(m->set);
	free(m->target);
	free(m->current);
	free(m);
}

/* On the operation's fiber. */
static int run_work(void *arg)
{
	migrate_op *m = arg;
	return rt__embedded_run(m->engine, m->migrations, m->set, m->direction, m->target,
				m->has_opts ? &m->opts : NULL);
}

static int current_work(void *arg)
{
	migrate_op *m = arg;
	return rt__embedded_current(m->engine, m->migrations, m->set, &m->current);
}

/* The operation's one done: hands over current's answer, calls the
 * program's done, frees what the call made (also for an operation
 * cancelled before it ran, whose work never ran). */
static void migrate_done(rt_async_op *op, int rc, void *arg)
{
	migrate_op *m = arg;
	if (m->out && rc == RT_OK) {
		*m->out = m->current;
		m->current = NULL;
	}
	if (m->done)
		m->done(op, rc, m->user);
	migrate_op_free(m);
}

static int start(rt_async *async, rt_async_op **op, migrate_op *m, int (*work)(void *arg))
{
	int rc = rt_async_run(async, op, work, m, migrate_done, m);
	if (rc < 0)
		migrate_op_free(m);
	return rc;
}

static int check_async(rt_async *async, rt_async_op **op, rt_engine **engine)
{
	if (op)
		*op = NULL;
	if (!async)
		return rt__error_set(RT_EINVAL, "migrate: async is NULL");
	*engine = rt_async_engine(async);
	return RT_OK;
}

int rt_async_migrate_run(rt_async *async, rt_async_op **op, const rt_migrations *migrations,
			 rt_migrate_direction direction, const char *target,
			 const rt_migrate_options *opts, rt_async_done done, void *user)
{
	rt_engine *engine = NULL;
	int rc = check_async(async, op, &engine);
	if (rc < 0)
		return rc;
	rt_migration_set *set = NULL;
	if ((rc = rt__embedded_check(migrations, direction, target, opts, &set)) < 0)
		return rc;
	migrate_op *m = calloc(1, sizeof(*m));
	char *copy = m ? strdup(target) : NULL;
	if (!copy) {
		free(m);
		rt__migration_set_free(set);
		return rt__error_nomem();
	}
	m->engine = engine;
	m->migrations = migrations;
	m->set = set;
	m->direction = direction;
	m->target = copy;
	if (opts) {
		m->opts = *opts;
		m->has_opts = true;
	}
	m->done = done;
	m->user = user;
	return start(async, op, m, run_work);
}

int rt_async_migrate_upgrade(rt_async *async, rt_async_op **op, const rt_migrations *migrations,
			     const char *target, rt_async_done done, void *user)
{
	return rt_async_migrate_run(async, op, migrations, RT_MIGRATE_UPGRADE, target, NULL, done,
				    user);
}

int rt_async_migrate_downgrade(rt_async *async, rt_async_op **op,
			       const rt_migrations *migrations, const char *target,
			       rt_async_done done, void *user)
{
	return rt_async_migrate_run(async, op, migrations, RT_MIGRATE_DOWNGRADE, target, NULL,
				    done, user);
}

int rt_async_migrate_current(rt_async *async, rt_async_op **op, const rt_migrations *migrations,
			     char **out, rt_async_done done, void *user)
{
	if (!out)
		return rt__error_set(RT_EINVAL, "migrate: out is NULL");
	*out = NULL;
	rt_engine *engine = NULL;
	int rc = check_async(async, op, &engine);
	if (rc < 0)
		return rc;
	rt_migration_set *set = NULL;
	if ((rc = rt__embedded_load(migrations, &set)) < 0)
		return rc;
	migrate_op *m = calloc(1, sizeof(*m));
	if (!m) {
		rt__migration_set_free(set);
		return rt__error_nomem();
	}
	m->engine = engine;
	m->migrations = migrations;
	m->set = set;
	m->out = out;
	m->done = done;
	m->user = user;
	return start(async, op, m, current_work);
}
