/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Live-test helper: reads the protection of the mapping that holds an address
 * from /proc/self/maps ("rw-p", "r-xp", ...). Header-only so every live suite
 * can use it without another source file in the runner.
 */
#ifndef OSPOLICY_TESTS_PROC_MAPS_H
#define OSPOLICY_TESTS_PROC_MAPS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Writes the four permission characters and a NUL to perms; returns 0 on
 * success, -1 if maps cannot be read or no mapping holds `address`. */
static inline int proc_maps_perms(const void *address, char perms[5]) {
  FILE *maps = fopen("/proc/self/maps", "r");
  if (maps == NULL) {
    return -1;
  }
  char line[512];
  int found = -1;
  while (fgets(line, sizeof line, maps) != NULL) {
    unsigned long start, end;
    char p[5];
    if (sscanf(line, "%lx-%lx %4s", &start, &end, p) == 3 && (uintptr_t)address >= start &&
        (uintptr_t)address < end) {
      memcpy(perms, p, 5);
      found = 0;
      break;
    }
  }
  fclose(maps);
  return found;
}

#endif
