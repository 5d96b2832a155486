# cmake -DBUILD_DIR=... -DPREFIX=... -DCONFIG=... -DLIBDIR=... -DINCLUDEDIR=... -P install_prefix.cmake
# Installs the build tree into a fresh PREFIX and checks the files consumers
# need are there.
file(REMOVE_RECURSE "${PREFIX}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" --config "${CONFIG}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
foreach(file IN ITEMS
    "${INCLUDEDIR}/sipua/message/message.hpp"
    "${INCLUDEDIR}/sipua/message/detail/chars.hpp"
    "${INCLUDEDIR}/sipua/result.hpp"
    "${LIBDIR}/cmake/sipua/sipuaConfig.cmake"
    "${LIBDIR}/cmake/sipua/sipuaConfigVersion.cmake"
    "${LIBDIR}/cmake/sipua/sipuaTargets.cmake"
    "${LIBDIR}/pkgconfig/sipua.pc")
  if(NOT EXISTS "${PREFIX}/${file}")
    message(FATAL_ERROR "not installed: ${file}")
  endif()
endforeach()
file(GLOB libs "${PREFIX}/${LIBDIR}/libsipua_core.*")
if(NOT libs)
  message(FATAL_ERROR "not installed: ${LIBDIR}/libsipua_core.*")
endif()
message(STATUS "installed into ${PREFIX}")
