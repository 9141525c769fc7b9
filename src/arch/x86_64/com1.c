/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
#include "com1.h"

#include "x86_cpu.h"

#define REG_DATA 0u
#define REG_LINE_STATUS 5u
#define LINE_STATUS_THR_EMPTY 0x20u
/* About a second at 115200 baud on real hardware; QEMU is always ready. */
#define MAX_POLLS 100000u

static uint16_t reg(unsigned offset) {
  return (uint16_t)(OSBAREMETAL_COM1_PORT + offset);
}

static void put_byte(uint8_t byte) {
  for (unsigned polls = 0; polls < MAX_POLLS; ++polls) {
    if ((osb_inb(reg(REG_LINE_STATUS)) & LINE_STATUS_THR_EMPTY) != 0u) {
      break;
    }
  }
  osb_outb(reg(REG_DATA), byte);
}

void OSBaremetal_Com1Write(const char *bytes, size_t length) {
  if (bytes == NULL) {
    return;
  }
  for (size_t i = 0; i < length; ++i) {
    if (bytes[i] == '\n') {
      put_byte((uint8_t)'\r');
    }
    put_byte((uint8_t)bytes[i]);
  }
}

void OSBaremetal_Com1WriteString(const char *text) {
  if (text == NULL) {
    return;
  }
  size_t length = 0;
  while (text[length] != '\0') {
    ++length;
  }
  OSBaremetal_Com1Write(text, length);
}

void OSBaremetal_DebugExit(uint32_t value) {
  osb_outl((uint16_t)OSBAREMETAL_DEBUG_EXIT_PORT, value);
  for (;;) {
    __asm__ volatile("cli; hlt");
  }
}
