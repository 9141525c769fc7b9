# SPDX-License-Identifier: Apache-2.0
# Copyright (c) 2026 The ospolicy authors
#
# `ospolicy imds-proxy` tests (included at the end of tests/CMakeLists.txt):
# the fake IMDS (tests/imds/fake_imds.c, 127.0.0.1 only), the load client
# (tests/imds/imds_load.c, libcurl), and tests/imds/imds_proxy_test.py, which
# starts a fake and a proxy per case and drives the proxy over its Unix
# sockets. imds.* cases run with the unit suite; imds.load is labelled `load`.
if(NOT TARGET ospolicy_cli)
  return()
endif()
find_package(Threads REQUIRED)
add_executable(fake_imds ${PROJECT_SOURCE_DIR}/tests/imds/fake_imds.c)
target_link_libraries(fake_imds PRIVATE PkgConfig::MICROHTTPD Threads::Threads)
target_compile_definitions(fake_imds PRIVATE _GNU_SOURCE)
ospolicy_target_warnings(fake_imds)

add_executable(imds_load ${PROJECT_SOURCE_DIR}/tests/imds/imds_load.c)
target_link_libraries(imds_load PRIVATE PkgConfig::CURL)
target_compile_definitions(imds_load PRIVATE _GNU_SOURCE)
ospolicy_target_warnings(imds_load)

set(imds_cases
  upstream-is-local granted-path ungranted-path-403 credentials token-per-app token-expiry
  upstream-refresh upstream-down-502 oversized smuggling malformed slow-head keep-alive idle-timeout
  direct-connect restart
  refuses-manifest load)
foreach(case IN LISTS imds_cases)
  add_test(NAME imds.${case}
    COMMAND python3 ${PROJECT_SOURCE_DIR}/tests/imds/imds_proxy_test.py
      --ospolicy $<TARGET_FILE:ospolicy_cli> --fake $<TARGET_FILE:fake_imds>
      --load $<TARGET_FILE:imds_load>
      --examples ${PROJECT_SOURCE_DIR}/tests/imds/manifests ${case})
  set_tests_properties(imds.${case} PROPERTIES LABELS imds TIMEOUT 60)
endforeach()
# 1,000 concurrent clients, 100,000 requests kept alive and 20,000 on new
# connections: bounded by the client's own deadlines (--max-seconds 150 and
# 90) inside the CTest timeout.
set_tests_properties(imds.load PROPERTIES LABELS "imds;load" TIMEOUT 300)

# `ospolicy run --imds-socket`: the static probe app (tests/sandbox) confined,
# reaching the fake only through its proxy socket (docs/sandbox.md).
if(TARGET sandbox_probe)
  foreach(case IN ITEMS run-granted-path run-ungranted-path-403 run-direct-connect
      run-no-metadata run-refusals run-listening run-restart)
    add_test(NAME imds.${case}
      COMMAND python3 ${PROJECT_SOURCE_DIR}/tests/imds/imds_proxy_test.py
        --ospolicy $<TARGET_FILE:ospolicy_cli> --fake $<TARGET_FILE:fake_imds>
        --load $<TARGET_FILE:imds_load> --probe $<TARGET_FILE:sandbox_probe>
        --examples ${PROJECT_SOURCE_DIR}/tests/imds/manifests ${case})
    set_tests_properties(imds.${case} PROPERTIES LABELS "imds;cli" TIMEOUT 60)
  endforeach()
endif()
