# cmake -DPREFIX=... -DLIBDIR=... -DCXX=... -DSOURCE=... -DOUTPUT=... -DVERSION=...
#       [-DEXTRA_FLAGS="-fsanitize=..."] -P pkg_config_build.cmake
# Compiles SOURCE with the flags `pkg-config --cflags --libs sipua` gives for
# the install in PREFIX, with the compiler alone (no CMake package), and runs it.
set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${LIBDIR}/pkgconfig")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    list(JOIN ARGN " " cmd)
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

run(pkg-config --modversion sipua)
if(NOT out STREQUAL VERSION)
  message(FATAL_ERROR "pkg-config says sipua ${out}, the build is ${VERSION}")
endif()
run(pkg-config --cflags --libs sipua)
message(STATUS "pkg-config --cflags --libs sipua: ${out}")
separate_arguments(flags UNIX_COMMAND "${out}")
separate_arguments(extra UNIX_COMMAND "${EXTRA_FLAGS}")
get_filename_component(output_dir "${OUTPUT}" DIRECTORY)
file(MAKE_DIRECTORY "${output_dir}")
run("${CXX}" -std=c++20 ${extra} "${SOURCE}" -o "${OUTPUT}" ${flags})
run("${OUTPUT}")
message(STATUS "${out}")
