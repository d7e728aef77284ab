# memcheck.cmake - the unit, integration and ORM tests under valgrind.
#
#   ctest -DBUILD=<build dir> -S tests/support/memcheck.cmake [-DJOBS=n]
#
# Runs every unit_*, integration_* and orm_* test (integration and ORM on
# every backend) under valgrind --leak-check=full; a test fails when valgrind
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

# The non-blocking API's tests on MariaDB (their own pass, below).
set(mariadb_async "orm_async.*_mariadb$|integration_test_async_migrate_mariadb$")

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
  # the ThreadSanitizer pass runs that test instead. The non-blocking
  # tests on MariaDB run in a pass of their own, below.
  EXCLUDE "^(orm_threads_|${mariadb_async})"
  EXCLUDE_FIXTURE "postgres_server|mariadb_server"
  PARALLEL_LEVEL ${JOBS}
  RETURN_VALUE failed
  DEFECT_COUNT defects)
# The non-blocking API on MariaDB: Connector/C's non-blocking calls run on
# a stack of the library's own (a small heap block) that it switches to
# without telling valgrind (Debian's libmariadb is not built with its
# valgrind hooks). Valgrind takes a change of the stack pointer larger
# than --max-stackframe for a switch of stacks, anything smaller for a
# frame pushed or popped: with the default (2 MB) a switch between a
# fiber's stack and that block, which can lie close in memory, looks like
# a huge frame, and valgrind reports every read of the block. At 64 KiB
# (more than that block's size) every such switch is
# seen as one and nothing else changes; a frame that did exceed it would
# show as invalid accesses, not hide any. None of retort's comes near.
set(CTEST_MEMORYCHECK_COMMAND_OPTIONS "${CTEST_MEMORYCHECK_COMMAND_OPTIONS} --max-stackframe=65536")
ctest_memcheck(
  INCLUDE "^(${mariadb_async})"
  EXCLUDE "^orm_threads_" # not the first pass's, which a second call keeps
  EXCLUDE_FIXTURE "postgres_server|mariadb_server"
  PARALLEL_LEVEL ${JOBS}
  RETURN_VALUE failed_mariadb
  DEFECT_COUNT defects_mariadb)
if(NOT failed_mariadb EQUAL 0)
  set(failed ${failed_mariadb})
endif()
if(NOT defects)
  set(defects 0)
endif()
if(NOT defects_mariadb)
  set(defects_mariadb 0)
endif()
math(EXPR defects "${defects} + ${defects_mariadb}")
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
