# Install rules and the package files consumers find sipua with:
#   CMake:      find_package(sipua) -> sipua::sipua (umbrella), sipua::core,
#               sipua::transport
#   pkg-config: pkg-config --cflags --libs sipua
# Included from the top CMakeLists.txt when SIPUA_INSTALL is on.
# tests/consumer/ builds a small program both ways against an install.
include(CMakePackageConfigHelpers)

set(SIPUA_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/sipua
  CACHE STRING "Where sipuaConfig.cmake goes, relative to the prefix")

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/sipua
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp")

# sipua_build_options is linked as $<BUILD_INTERFACE:...> only, so it stays
# out of the export; fmt is private and comes back through find_dependency
# (a static sipua_core needs it at link time).
install(TARGETS sipua_core sipua_transport sipua
  EXPORT sipuaTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(EXPORT sipuaTargets
  NAMESPACE sipua::
  DESTINATION ${SIPUA_INSTALL_CMAKEDIR})

configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/sipuaConfig.cmake.in
  ${PROJECT_BINARY_DIR}/sipuaConfig.cmake
  INSTALL_DESTINATION ${SIPUA_INSTALL_CMAKEDIR})
# 0.x: a minor release may break the API, so only the same minor matches.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/sipuaConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/sipuaConfig.cmake
  ${PROJECT_BINARY_DIR}/sipuaConfigVersion.cmake
  DESTINATION ${SIPUA_INSTALL_CMAKEDIR})

# pkg-config. A static sipua_core needs fmt at link time, and plain
# `pkg-config --libs` ignores Requires.private, so fmt goes to Requires
# then; a shared one keeps it in Requires.private.
get_target_property(sipua_core_type sipua_core TYPE)
if(sipua_core_type STREQUAL "STATIC_LIBRARY")
  set(SIPUA_PC_REQUIRES "Requires: fmt openssl")
else()
  set(SIPUA_PC_REQUIRES "Requires.private: fmt openssl")
endif()
# Relocatable where it can be: the prefix is found from where sipua.pc sits
# (${pcfiledir}/../.. for lib/pkgconfig), so `cmake --install --prefix X`
# and DESTDIR work. Absolute install dirs are written as they are.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(SIPUA_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(SIPUA_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(SIPUA_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH pc_to_prefix /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
  string(REGEX REPLACE "/$" "" pc_to_prefix "${pc_to_prefix}")
  set(SIPUA_PC_PREFIX "\${pcfiledir}/${pc_to_prefix}")
  set(SIPUA_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(SIPUA_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/sipua.pc.in ${PROJECT_BINARY_DIR}/sipua.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/sipua.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(FILES ${PROJECT_SOURCE_DIR}/LICENSE
  DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/sipua
  OPTIONAL)
