# Options and the private build-options target (warnings, sanitizers).
# Never touch CMAKE_CXX_FLAGS: everything sits on sipua_build_options, which
# only sipua's own targets link privately.

option(SIPUA_BUILD_TESTS "Build the test suite" ${PROJECT_IS_TOP_LEVEL})
option(SIPUA_BUILD_EXAMPLES "Build the examples" ${PROJECT_IS_TOP_LEVEL})
option(SIPUA_BUILD_FUZZERS "Build libFuzzer targets (clang only)" OFF)
option(SIPUA_BUILD_BENCHMARKS "Build the Google Benchmark programs" OFF)
option(SIPUA_INSTALL "Generate install rules" ${PROJECT_IS_TOP_LEVEL})
option(SIPUA_WERROR "Treat warnings as errors" OFF)
set(SIPUA_SANITIZERS "" CACHE STRING "Sanitizers, e.g. address,undefined")

# Before any target: src/ uses CMAKE_INSTALL_INCLUDEDIR in $<INSTALL_INTERFACE>.
include(GNUInstallDirs)

if(SIPUA_BUILD_FUZZERS AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "SIPUA_BUILD_FUZZERS needs clang (libFuzzer); use the `fuzz` preset")
endif()

set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)

add_library(sipua_build_options INTERFACE)
target_compile_options(sipua_build_options INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion>)
if(SIPUA_WERROR)
  target_compile_options(sipua_build_options INTERFACE -Werror)
endif()
if(SIPUA_SANITIZERS)
  target_compile_options(sipua_build_options INTERFACE
    -fsanitize=${SIPUA_SANITIZERS} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(sipua_build_options INTERFACE -fsanitize=${SIPUA_SANITIZERS})
endif()
if(SIPUA_BUILD_FUZZERS)
  # Every sipua target gets coverage instrumentation; the fuzz targets add the
  # libFuzzer main themselves.
  target_compile_options(sipua_build_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
