/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "uefi_console.h"

#include <stddef.h>
#include <stdint.h>

#include "com1.h"

#define DEVICE_PATH_MESSAGING 0x03u
#define DEVICE_PATH_MESSAGING_UART 0x0Eu
#define DEVICE_PATH_END 0x7Fu
#define CONOUT_VARIABLE_CAPACITY 1024u

static EFI_SYSTEM_TABLE *console_system_table;
static int console_use_conout;

/* Whether a (multi-instance) device path contains a UART node. */
static int has_uart_node(const uint8_t *path, UINTN size) {
  UINTN offset = 0;
  while (offset + 4u <= size) {
    uint8_t type = path[offset];
    uint8_t subtype = path[offset + 1u];
    UINTN length = (UINTN)path[offset + 2u] | ((UINTN)path[offset + 3u] << 8);
    if (type == DEVICE_PATH_MESSAGING && subtype == DEVICE_PATH_MESSAGING_UART) {
      return 1;
    }
    if (length < 4u) {
      return 0; /* malformed: stop rather than loop */
    }
    if (type == DEVICE_PATH_END && subtype == 0xFFu) {
      return 0;
    }
    offset += length;
  }
  return 0;
}

void OSHostUefi_ConsoleInit(EFI_SYSTEM_TABLE *system_table) {
  console_system_table = system_table;
  console_use_conout = 0;
  if (system_table == NULL || system_table->ConOut == NULL || system_table->RuntimeServices == NULL) {
    return;
  }
  static EFI_GUID global_variable = EFI_GLOBAL_VARIABLE;
  uint8_t value[CONOUT_VARIABLE_CAPACITY];
  UINTN size = sizeof value;
  UINT32 attributes = 0;
  EFI_STATUS status = system_table->RuntimeServices->GetVariable((CHAR16 *)L"ConOut", &global_variable,
                                                                 &attributes, &size, value);
  /* Without the variable we cannot tell; COM1 alone keeps lines unique. */
  if (status == EFI_SUCCESS && !has_uart_node(value, size)) {
    console_use_conout = 1;
  }
}

static void write_conout(const char *line) {
  CHAR16 wide[258];
  size_t used = 0;
  for (const char *p = line; *p != '\0' && used < 255u; ++p) {
    wide[used++] = (CHAR16)(uint8_t)*p;
  }
  wide[used++] = L'\r';
  wide[used++] = L'\n';
  wide[used] = 0;
  (void)console_system_table->ConOut->OutputString(console_system_table->ConOut, wide);
}

void OSHostUefi_ConsoleWriteLine(const char *line) {
  if (line == NULL) {
    return;
  }
  OSBaremetal_Com1WriteString(line);
  OSBaremetal_Com1WriteString("\n");
  if (console_use_conout && console_system_table != NULL) {
    write_conout(line);
  }
}

void OSHostUefi_ConsoleFirmwareGone(void) {
  console_use_conout = 0;
  console_system_table = NULL;
}

int OSHostUefi_ConsoleUsesConOut(void) {
  return console_use_conout;
}
