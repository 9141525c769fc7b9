# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# ospolicy_add_sbom(<target> OUTPUT <file.spdx.json>
#                   [ARTIFACT <file>]            image file (default $<TARGET_FILE:target>;
#                                                required for custom targets, e.g. an .efi
#                                                made by objcopy)
#                   [PACKAGES <deb>[=static|=dynamic] ...]   Debian packages linked in
#                   [TARGETS <target> ...]       more targets whose sources are in the image
#                                                (e.g. the ELF executable behind a custom
#                                                objcopy target)
#                   [SOURCES <file> ...]         more first-party files (absolute paths)
#                   [NAME <name>] [PURPOSE APPLICATION|FIRMWARE|OPERATING-SYSTEM|...]
#                   [NO_DETECT_DYNAMIC])
#
# Generates an SPDX 2.3 JSON SBOM (scripts/sbom.py) every time the image is
# rebuilt: a custom target <target>_sbom, part of ALL, depending on the image.
# First-party files are discovered from the build itself: the SOURCES of
# <target> and of every project target it links (LINK_LIBRARIES and
# INTERFACE_LINK_LIBRARIES, recursively), plus the project headers they
# #include, each with SHA-1 and SHA-256. Versions and licences of the Debian
# packages are read from dpkg and /usr/share/doc/<pkg>/copyright at build
# time; the DT_NEEDED libraries of a dynamically linked image are added
# automatically (NO_DETECT_DYNAMIC turns that off).
#
# The link walk runs at the end of the top-level CMakeLists.txt (deferred), so
# it sees links added after this call. Example for the UEFI loader:
#   ospolicy_add_sbom(ospolicy_loader_efi OUTPUT ${CMAKE_BINARY_DIR}/BOOTX64.efi.spdx.json
#     ARTIFACT ${CMAKE_BINARY_DIR}/BOOTX64.EFI TARGETS ospolicy_loader_elf
#     PACKAGES gnu-efi=static libsodium-dev=static PURPOSE FIRMWARE)
# Every image gets an SBOM: python3 (Debian package python3, installed by
# scripts/deps.sh) is required, never silently skipped.
find_package(Python3 REQUIRED COMPONENTS Interpreter)

function(ospolicy_add_sbom target)
  cmake_parse_arguments(PARSE_ARGV 1 SBOM "NO_DETECT_DYNAMIC" "OUTPUT;ARTIFACT;NAME;PURPOSE"
    "PACKAGES;TARGETS;SOURCES")
  if(SBOM_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ospolicy_add_sbom(${target}): unexpected ${SBOM_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "ospolicy_add_sbom: ${target} is not a target")
  endif()
  if(NOT SBOM_OUTPUT)
    message(FATAL_ERROR "ospolicy_add_sbom(${target}): OUTPUT is required")
  endif()
  get_target_property(type ${target} TYPE)
  if(NOT SBOM_ARTIFACT)
    if(type STREQUAL "UTILITY")
      message(FATAL_ERROR "ospolicy_add_sbom(${target}): a custom target needs ARTIFACT")
    endif()
    set(SBOM_ARTIFACT "$<TARGET_FILE:${target}>")
  endif()
  if(NOT SBOM_NAME)
    set(SBOM_NAME "${target}")
  endif()
  if(NOT SBOM_PURPOSE)
    set(SBOM_PURPOSE "APPLICATION")
  endif()
  set(SBOM_PYTHON "${Python3_EXECUTABLE}")
  foreach(key OUTPUT ARTIFACT NAME PURPOSE PACKAGES TARGETS SOURCES NO_DETECT_DYNAMIC PYTHON)
    set_property(GLOBAL PROPERTY OSPOLICY_SBOM_${target}_${key} "${SBOM_${key}}")
  endforeach()
  # Deferred-call arguments are evaluated when the call runs: bake the name in.
  cmake_language(EVAL CODE
    "cmake_language(DEFER DIRECTORY [[${PROJECT_SOURCE_DIR}]] CALL _ospolicy_sbom_finalize [[${target}]])")
endfunction()

# Collects, into the caller's variable `out`, every non-imported target that
# `item` is or links, recursively.
function(_ospolicy_sbom_walk item out)
  set(found ${${out}})
  if(NOT TARGET "${item}")
    return()
  endif()
  get_target_property(aliased "${item}" ALIASED_TARGET)
  if(aliased)
    set(item "${aliased}")
  endif()
  get_target_property(imported "${item}" IMPORTED)
  if(imported OR "${item}" IN_LIST found)
    return()
  endif()
  list(APPEND found "${item}")
  set(links "")
  foreach(property LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
    get_target_property(value "${item}" ${property})
    if(value)
      list(APPEND links ${value})
    endif()
  endforeach()
  foreach(link IN LISTS links)
    # $<LINK_ONLY:x> and $<BUILD_INTERFACE:x> wrap plain targets; other
    # generator expressions are left alone.
    string(REGEX REPLACE "^\\$<(LINK_ONLY|BUILD_INTERFACE):([^>]+)>$" "\\2" link "${link}")
    if(NOT link MATCHES "\\$<")
      _ospolicy_sbom_walk("${link}" found)
    endif()
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

function(_ospolicy_sbom_finalize target)
  # Runs in the top-level directory: every setting travels in global properties.
  foreach(key OUTPUT ARTIFACT NAME PURPOSE PACKAGES TARGETS SOURCES NO_DETECT_DYNAMIC PYTHON)
    get_property(SBOM_${key} GLOBAL PROPERTY OSPOLICY_SBOM_${target}_${key})
  endforeach()
  set(targets "")
  foreach(root IN ITEMS ${target} ${SBOM_TARGETS})
    _ospolicy_sbom_walk("${root}" targets)
  endforeach()
  set(content "")
  foreach(t IN LISTS targets)
    get_target_property(type ${t} TYPE)
    if(type STREQUAL "INTERFACE_LIBRARY")
      continue()
    endif()
    string(APPEND content
      "${t}\t$<TARGET_PROPERTY:${t},SOURCE_DIR>\t$<TARGET_PROPERTY:${t},SOURCES>\t"
      "$<TARGET_PROPERTY:${t},INCLUDE_DIRECTORIES>\n")
  endforeach()
  set(manifest "${CMAKE_BINARY_DIR}/sbom/${target}.sources")
  file(GENERATE OUTPUT "${manifest}" CONTENT "${content}")

  set(args --name "${SBOM_NAME}" --version "${PROJECT_VERSION}"
    --source-root "${PROJECT_SOURCE_DIR}" --output "${SBOM_OUTPUT}"
    --artifact "${SBOM_ARTIFACT}" --manifest "${manifest}" --purpose "${SBOM_PURPOSE}")
  foreach(package IN LISTS SBOM_PACKAGES)
    list(APPEND args --package "${package}")
  endforeach()
  foreach(source IN LISTS SBOM_SOURCES)
    list(APPEND args --source "${source}")
  endforeach()
  if(SBOM_NO_DETECT_DYNAMIC)
    list(APPEND args --no-detect-dynamic)
  endif()
  get_target_property(type ${target} TYPE)
  set(depends "${manifest}" "${PROJECT_SOURCE_DIR}/scripts/sbom.py")
  if(NOT type STREQUAL "UTILITY")
    list(APPEND depends "$<TARGET_FILE:${target}>")
  elseif(NOT SBOM_ARTIFACT MATCHES "\\$<")
    list(APPEND depends "${SBOM_ARTIFACT}")
  endif()
  add_custom_command(OUTPUT "${SBOM_OUTPUT}"
    COMMAND "${SBOM_PYTHON}" "${PROJECT_SOURCE_DIR}/scripts/sbom.py" ${args}
    DEPENDS ${depends} ${target}
    COMMENT "SPDX SBOM for ${SBOM_NAME}: ${SBOM_OUTPUT}"
    VERBATIM)
  add_custom_target(${target}_sbom ALL DEPENDS "${SBOM_OUTPUT}")
  add_dependencies(${target}_sbom ${target})
endfunction()
