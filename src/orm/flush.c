/*
 * flush.c - the unit of work (being written; for now a flush with nothing
 * pending succeeds and anything pending is reported as not supported yet).
 */
#include "orm/orm.h"

#include "base/error.h"

void rt__flush_cache_free(rt_session *session);

void rt__flush_cache_free(rt_session *session)
{
	(void)session;
}

int rt__flush(rt_session *session)
{
	int rc = rt__session_usable(session);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < session->object_count; i++) {
		rt_object *object = session->objects[i];
		if (object && object->state != RT_STATE_PERSISTENT)
			return rt__error_set(RT_ERROR, "flush: not implemented yet");
	}
	return RT_OK;
}
