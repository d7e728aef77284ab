/*
 * retort/common.h - version, return codes and the last-error record.
 *
 * Every retort function that can fail returns RT_OK (0) or one of the
 * negative codes below, and records what went wrong in a per-thread error
 * record that rt_error_last() returns. Nothing in the library aborts or exits.
 */
#ifndef RETORT_COMMON_H
#define RETORT_COMMON_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  define RT_API
#elif defined(__GNUC__)
#  define RT_API __attribute__((visibility("default")))
#else
#  define RT_API
#endif

#define RT_VERSION_MAJOR 0
#define RT_VERSION_MINOR 1
#define RT_VERSION_PATCH 0
#define RT_VERSION_STRING "0.1.0"

/* Return codes. Success is 0; errors are negative; RT_ROW and RT_DONE are
 * the two positive answers of a statement step. */
enum {
	RT_OK = 0,
	RT_ERROR = -1,       /* an error that fits no other code */
	RT_ENOMEM = -2,      /* out of memory */
	RT_EINVAL = -3,      /* bad argument or misuse of the API */
	RT_ENOTFOUND = -4,   /* no such row, object, file or revision */
	RT_EMULTIPLE = -5,   /* several rows where one was expected */
	RT_ECONSTRAINT = -6, /* a constraint was violated; see rt_error.constraint_kind */
	RT_ECONNECT = -7,    /* could not connect, or the connection broke */
	RT_EPARSE = -8,      /* schema, script, URL or configuration text is malformed */
	RT_ELOCKED = -9,     /* a lock could not be taken in time */
	RT_EMULTIHEAD = -10, /* several heads where one was expected */
	RT_EDRIFT = -11,     /* the database differs from the models */
	RT_EIO = -12,        /* a file could not be read or written */
	RT_EDATABASE = -13,  /* any other error reported by the database */
	RT_EUSAGE = -14,     /* a command line or option is malformed */
	RT_ESERIALIZE = -15, /* the database rolled the transaction back to end a
			      * deadlock or serialization conflict: run it again */
	RT_ECANCELED = -16,  /* the operation was cancelled, or its engine or
			      * session closed while it was in flight */

	RT_ROW = 100,        /* rt_stmt_step: a row is ready */
	RT_DONE = 101        /* rt_stmt_step: the statement has finished */
};

/* What kind of constraint a RT_ECONSTRAINT error violated. */
typedef enum rt_constraint_violation {
	RT_VIOLATION_NONE = 0,
	RT_VIOLATION_UNIQUE,
	RT_VIOLATION_FOREIGN_KEY,
	RT_VIOLATION_NOT_NULL,
	RT_VIOLATION_CHECK
} rt_constraint_violation;

/* The calling thread's last error. Strings are owned by the library and
 * stay valid until the thread's next failing retort call. */
typedef struct rt_error {
	int code;                /* RT_E... */
	const char *message;     /* human-readable, one or more lines */
	const char *sqlstate;    /* five characters from the database, or "" */
	int driver_code;         /* the driver's own code (sqlite extended code), or 0 */
	rt_constraint_violation constraint_kind;
	const char *constraint_name; /* the violated constraint's name, or "" */
} rt_error;

/* The last error recorded on this thread. Never NULL: when nothing failed it
 * returns a record with code RT_OK and an empty message. */
RT_API const rt_error *rt_error_last(void);

/* Forget the last error on this thread. */
RT_API void rt_error_clear(void);

/* A short constant name for a return code: "RT_ENOTFOUND", ... */
RT_API const char *rt_error_code_name(int code);

/* Whether running the failed transaction again may succeed: its code is
 * RT_ESERIALIZE (a deadlock or serialization failure), or RT_ELOCKED
 * reported by the database (a lock wait that timed out, SQLite's busy
 * database); not the pool's own timeout. err NULL: the last error. */
RT_API int rt_error_is_retryable(const rt_error *err);

/* The library's version string, e.g. "0.1.0". */
RT_API const char *rt_version(void);

#ifdef __cplusplus
}
#endif
#endif
