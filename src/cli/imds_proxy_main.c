/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * `ospolicy-imds-proxy`: the executable behind `ospolicy imds-proxy`. It is
 * separate so that only this command loads libmicrohttpd, libcurl and what
 * they pull in (src/cli/CMakeLists.txt says why).
 */
#include "commands.h"

int main(int argc, char **argv) {
  return cli_imds_proxy(argc, argv);
}
