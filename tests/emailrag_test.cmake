# emailrag_add_test(NAME SOURCES... LIBS... [LABELS ...] [TIMEOUT s] [ENV ...])
# Builds tst_NAME from its sources, links Qt Test and the given libraries, registers it with
# CTest. Every test runs with QT_QPA_PLATFORM=offscreen and its own HOME and XDG dirs so that it
# never touches the developer's data; EMAILRAG_CORPORA points at ../shared/corpora.
get_filename_component(EMAILRAG_CORPORA_DIR "${PROJECT_SOURCE_DIR}/../shared/corpora" ABSOLUTE)
set(EMAILRAG_CORPORA_DIR "${EMAILRAG_CORPORA_DIR}" CACHE PATH "Folder with the packed test corpora")

function(emailrag_add_test name)
    cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS;ENV" ${ARGN})
    qt_add_executable(tst_${name} ${T_SOURCES})
    target_link_libraries(tst_${name} PRIVATE Qt6::Test emailrag_warnings ${T_LIBS})
    if(TARGET emailrag_testsupport)
        target_link_libraries(tst_${name} PRIVATE emailrag_testsupport)
    endif()
    add_test(NAME ${name} COMMAND tst_${name})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES
        TIMEOUT ${T_TIMEOUT}
        LABELS "${T_LABELS}"
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;EMAILRAG_CORPORA=${EMAILRAG_CORPORA_DIR};EMAILRAG_SOURCE_DIR=${PROJECT_SOURCE_DIR};EMAILRAG_BINARY=$<TARGET_FILE:emailrag>;${T_ENV}")
endfunction()
