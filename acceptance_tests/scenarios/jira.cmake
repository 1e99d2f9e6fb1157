# The jira provider's acceptance scenarios (included from this folder's CMakeLists.txt).
# Each runs the built terraform-provider-jira under protocol 5 and 6 against an in-process
# Jira emulator; jira_cli_test also drives the real terraform CLI when it is on PATH.
set(TFJ_JIRA_SCENARIO_LIBS tfj_harness tfj_emulator tfj_jira)

tfj_test(NAME jira_scenarios_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/jira_user_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jira_group_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jira_permission_scheme_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jira_data_sources_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jira_seed_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jira_provider_test.cpp
  LIBS ${TFJ_JIRA_SCENARIO_LIBS}
  LABELS acceptance)

tfj_test(NAME jira_cli_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/jira_cli_test.cpp
  LIBS ${TFJ_JIRA_SCENARIO_LIBS}
  LABELS cli)

# The scenarios run the binaries; build them first.
foreach(t jira_scenarios_test jira_cli_test)
  if(TARGET terraform-provider-jira)
    add_dependencies(${t} terraform-provider-jira)
  endif()
endforeach()
