# ctest tests (label `consumer`) that use sipua the way an embedding product
# does, from an install of this build tree into a prefix inside it:
#   consumer.install         cmake --install into build/.../consumer/prefix
#   consumer.find_package    tests/consumer built with find_package(sipua)
#   consumer.pkg_config      main.cpp built with `pkg-config --cflags --libs sipua`
#   consumer.add_subdirectory tests/consumer built with add_subdirectory(<sipua source>)
# Included from tests/CMakeLists.txt when SIPUA_INSTALL is on.
set(consumer_source ${CMAKE_CURRENT_LIST_DIR})
set(consumer_work ${CMAKE_CURRENT_BINARY_DIR}/consumer)
set(consumer_prefix ${consumer_work}/prefix)

# The consumers are compiled like this build: same compiler, and the same
# sanitizer runtime when sipua_core carries sanitizer instrumentation.
set(consumer_flags "")
if(SIPUA_SANITIZERS)
  list(APPEND consumer_flags -fsanitize=${SIPUA_SANITIZERS})
endif()
if(SIPUA_BUILD_FUZZERS)
  list(APPEND consumer_flags -fsanitize=fuzzer-no-link)
endif()
list(JOIN consumer_flags " " consumer_flags_string)
set(consumer_config $<IF:$<CONFIG:>,Debug,$<CONFIG>>)

add_test(NAME consumer.install
  COMMAND ${CMAKE_COMMAND}
    -DBUILD_DIR=${PROJECT_BINARY_DIR} -DPREFIX=${consumer_prefix} -DCONFIG=${consumer_config}
    -DLIBDIR=${CMAKE_INSTALL_LIBDIR} -DINCLUDEDIR=${CMAKE_INSTALL_INCLUDEDIR}
    -P ${consumer_source}/install_prefix.cmake)
set_tests_properties(consumer.install PROPERTIES
  FIXTURES_SETUP sipua_installed LABELS consumer)

function(sipua_consumer_build name)
  add_test(NAME consumer.${name}
    COMMAND ${CMAKE_CTEST_COMMAND}
      --build-and-test ${consumer_source} ${consumer_work}/${name}
      --build-generator ${CMAKE_GENERATOR}
      --build-makeprogram ${CMAKE_MAKE_PROGRAM}
      --build-noclean
      --build-options
        -DCMAKE_BUILD_TYPE=${consumer_config}
        -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}
        "-DCMAKE_CXX_FLAGS=${consumer_flags_string}"
        "-DCMAKE_EXE_LINKER_FLAGS=${consumer_flags_string}"
        ${ARGN}
      --test-command ${CMAKE_CTEST_COMMAND} --output-on-failure)
  set_tests_properties(consumer.${name} PROPERTIES LABELS consumer)
endfunction()

sipua_consumer_build(find_package -DCMAKE_PREFIX_PATH=${consumer_prefix})
set_tests_properties(consumer.find_package PROPERTIES FIXTURES_REQUIRED sipua_installed)

sipua_consumer_build(add_subdirectory -DSIPUA_SOURCE_DIR=${PROJECT_SOURCE_DIR})

add_test(NAME consumer.pkg_config
  COMMAND ${CMAKE_COMMAND}
    -DPREFIX=${consumer_prefix} -DLIBDIR=${CMAKE_INSTALL_LIBDIR}
    -DCXX=${CMAKE_CXX_COMPILER} -DSOURCE=${consumer_source}/main.cpp
    -DOUTPUT=${consumer_work}/pkg_config/consumer -DVERSION=${PROJECT_VERSION}
    "-DEXTRA_FLAGS=${consumer_flags_string}"
    -P ${consumer_source}/pkg_config_build.cmake)
set_tests_properties(consumer.pkg_config PROPERTIES
  FIXTURES_REQUIRED sipua_installed LABELS consumer)
