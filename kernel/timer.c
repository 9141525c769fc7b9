/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The preemption timer: the legacy 8259 PICs remapped to vectors 32..47 with
 * every line masked but IRQ 0, and the 8254 PIT's channel 0 as a rate
 * generator at KERNEL_TIMER_HZ. Interrupts are only ever enabled in ring 3
 * (the agents' RFLAGS.IF; SYSCALL's SFMASK and the interrupt gates clear it on
 * every way into the kernel), so a tick always lands in an agent.
 */
#include "kernel.h"
#include "x86_cpu.h"

#define PIC1_COMMAND 0x20u
#define PIC1_DATA 0x21u
#define PIC2_COMMAND 0xA0u
#define PIC2_DATA 0xA1u
#define PIT_CHANNEL0 0x40u
#define PIT_COMMAND 0x43u
#define PIT_FREQUENCY 1193182u

uint64_t kernel_timer_ticks;

void kernel_timer_start(void) {
  /* ICW1: edge triggered, cascade, ICW4 follows; ICW2: vector bases;
   * ICW3: slave on line 2; ICW4: 8086 mode. */
  osb_outb(PIC1_COMMAND, 0x11);
  osb_outb(PIC2_COMMAND, 0x11);
  osb_outb(PIC1_DATA, KERNEL_VECTOR_TIMER);
  osb_outb(PIC2_DATA, KERNEL_VECTOR_TIMER + 8u);
  osb_outb(PIC1_DATA, 0x04);
  osb_outb(PIC2_DATA, 0x02);
  osb_outb(PIC1_DATA, 0x01);
  osb_outb(PIC2_DATA, 0x01);
  osb_outb(PIC1_DATA, 0xFE); /* IRQ 0 only */
  osb_outb(PIC2_DATA, 0xFF);
  uint32_t divisor = PIT_FREQUENCY / KERNEL_TIMER_HZ;
  osb_outb(PIT_COMMAND, 0x34); /* channel 0, lobyte/hibyte, mode 2 */
  osb_outb(PIT_CHANNEL0, (uint8_t)divisor);
  osb_outb(PIT_CHANNEL0, (uint8_t)(divisor >> 8));
}

void kernel_timer_stop(void) {
  osb_outb(PIC1_DATA, 0xFF);
  osb_outb(PIC2_DATA, 0xFF);
}

/* 1 if the IRQ on `vector` is real (and acknowledged), 0 if it was a
 * spurious IRQ 7 or 15 (in-service bit clear: no EOI for it, except the
 * cascade's on the master for a spurious 15). */
int kernel_irq_acknowledge(uint64_t vector) {
  unsigned irq = (unsigned)(vector - KERNEL_VECTOR_TIMER);
  if (irq == 7u || irq == 15u) {
    uint16_t port = irq == 7u ? PIC1_COMMAND : PIC2_COMMAND;
    osb_outb(port, 0x0B); /* OCW3: read the in-service register */
    if ((osb_inb(port) & 0x80u) == 0u) {
      if (irq == 15u) {
        osb_outb(PIC1_COMMAND, 0x20);
      }
      return 0;
    }
  }
  if (irq >= 8u) {
    osb_outb(PIC2_COMMAND, 0x20);
  }
  osb_outb(PIC1_COMMAND, 0x20);
  if (irq == 0u) {
    kernel_timer_ticks++;
  }
  return 1;
}
