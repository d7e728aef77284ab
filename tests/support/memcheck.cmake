# memcheck.cmake - the unit, integration and ORM tests under valgrind.
#
#   ctest -DBUILD=<build dir> -S tests/support/memcheck.cmake [-DJOBS=n]
#
# Runs every unit_*, integration_* and orm_* test (integration and ORM on
# SQLite and on PostgreSQL, the MariaDB driver's on MariaDB) under valgrind --leak-check=full; a test fails when valgrind
# finds a memory error or a definite or indirect leak. "Possibly lost"
# blocks are not reported: the tests that fork children leave the parent's
# arenas to them, which valgrind calls possibly lost. The test server is
# started and stopped with the suite's own fixture tests, outside valgrind,
# so only retort's programs are checked.
cmake_minimum_required(VERSION 3.18)

if(NOT BUILD)
  message(FATAL_ERROR "usage: ctest -DBUILD=<build dir> -S memcheck.cmake")
endif()
get_filename_component(BUILD "${BUILD}" ABSOLUTE)
if(NOT JOBS)
  set(JOBS 2)
endif()
find_program(VALGRIND valgrind)
if(NOT VALGRIND)
  message(FATAL_ERROR "valgrind is not installed (Debian: apt-get install valgrind)")
endif()

set(CTEST_SOURCE_DIRECTORY "${CMAKE_CURRENT_LIST_DIR}/../..")
set(CTEST_BINARY_DIRECTORY "${BUILD}")
set(CTEST_MEMORYCHECK_TYPE Valgrind)
set(CTEST_MEMORYCHECK_COMMAND "${VALGRIND}")
set(CTEST_MEMORYCHECK_COMMAND_OPTIONS
  "--leak-check=full --show-possibly-lost=no --errors-for-leak-kinds=definite,indirect --error-exitcode=1 --track-origins=yes --num-callers=30")

# Runs the suite's fixture test `name` without valgrind.
function(run_fixture name)
  execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir "${BUILD}"
                          -R "^${name}$" --output-on-failure
                  RESULT_VARIABLE rc)
  set(fixture_rc ${rc} PARENT_SCOPE)
endfunction()

ctest_start(Experimental QUIET)
run_fixture(postgres_server_start)
if(NOT fixture_rc EQUAL 0)
  message(FATAL_ERROR "could not start the test PostgreSQL server")
endif()
run_fixture(mariadb_server_start)
if(NOT fixture_rc EQUAL 0)
  run_fixture(postgres_server_stop)
  message(FATAL_ERROR "could not start the test MariaDB server")
endif()
ctest_memcheck(
  INCLUDE "^(unit|integration|orm)_"
  # Eight threads under valgrind (which runs one at a time) take minutes;
  # the ThreadSanitizer pass runs that test instead. orm_async,
  # orm_async_typed and orm_async_faults (on either loop, orm_*_uv too) on
  # MariaDB use Connector/C's non-blocking calls, which run on a stack of
  # the library's own that it switches to without telling valgrind
  # (Debian's libmariadb is not built with its valgrind hooks): valgrind
  # then reports every read of that stack. ASan and ThreadSanitizer run
  # them instead; so for the non-blocking migrations on MariaDB.
  EXCLUDE "^(orm_threads_|orm_async.*_mariadb$|integration_test_async_migrate_mariadb$)"
  EXCLUDE_FIXTURE "postgres_server|mariadb_server"
  PARALLEL_LEVEL ${JOBS}
  RETURN_VALUE failed
  DEFECT_COUNT defects)
run_fixture(postgres_server_stop)
run_fixture(mariadb_server_stop)

# Show valgrind's report of every test it found a problem in.
file(GLOB logs "${BUILD}/Testing/Temporary/MemoryChecker.*.log")
foreach(log ${logs})
  file(READ "${log}" text)
  if(text MATCHES "ERROR SUMMARY: [1-9]|definitely lost: [1-9]|indirectly lost: [1-9]")
    message("---- ${log}\n${text}")
  endif()
endforeach()

if(NOT failed EQUAL 0 OR defects GREATER 0)
  message(FATAL_ERROR "valgrind: tests failed or valgrind found ${defects} defect(s); see above")
endif()
message("valgrind: no memory errors, no definite or indirect leaks")
