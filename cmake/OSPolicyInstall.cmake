# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# install(): headers, the freestanding core and the Linux backend as an
# exported CMake package (find_package(ospolicy CONFIG) -> OSPolicy::core,
# OSPolicy::host, OSPolicy::crypto) and pkg-config files (ospolicy,
# ospolicy-host, ospolicy-crypto). OSPolicy::crypto links libsodium through
# pkg-config (PkgConfig::SODIUM), which the package config recreates.
include(CMakePackageConfigHelpers)

set(OSPOLICY_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/ospolicy")

install(TARGETS ospolicy_core ospolicy_host_backend ospolicy_host ospolicy_crypto
  EXPORT ospolicyTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/ospolicy" "${PROJECT_SOURCE_DIR}/include/oshost"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT ospolicyTargets NAMESPACE OSPolicy:: DESTINATION "${OSPOLICY_CMAKE_DIR}")

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/ospolicyConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/ospolicyConfig.cmake" INSTALL_DESTINATION "${OSPOLICY_CMAKE_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/ospolicyConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/ospolicyConfig.cmake"
  "${PROJECT_BINARY_DIR}/ospolicyConfigVersion.cmake" DESTINATION "${OSPOLICY_CMAKE_DIR}")

# Relocatable .pc files: the prefix is found from the file's own location, so
# `cmake --install . --prefix DIR` works for any DIR.
file(RELATIVE_PATH OSPOLICY_PC_UP "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
set(OSPOLICY_PC_PREFIX "\${pcfiledir}/${OSPOLICY_PC_UP}")
foreach(pc ospolicy ospolicy-host ospolicy-crypto)
  configure_file("${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in" "${PROJECT_BINARY_DIR}/${pc}.pc" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/${pc}.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
endforeach()
