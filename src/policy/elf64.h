/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * ELF64 constants and little-endian field readers shared by the native
 * payload, executable-memory and relocation components. Internal: not
 * installed. Fields are read byte by byte from the caller's buffer, never by
 * casting it to a struct, so an image may sit at any alignment; every caller
 * checks `offset + width <= size` before reading.
 */
#ifndef OSPOLICY_SRC_ELF64_H
#define OSPOLICY_SRC_ELF64_H

#include <stddef.h>
#include <stdint.h>

/* ELF header (Elf64_Ehdr) field offsets. */
enum {
  ELF64_EI_MAG0 = 0,
  ELF64_EI_CLASS = 4,
  ELF64_EI_DATA = 5,
  ELF64_EI_VERSION = 6,
  ELF64_EI_OSABI = 7,
  ELF64_E_TYPE = 16,
  ELF64_E_MACHINE = 18,
  ELF64_E_VERSION = 20,
  ELF64_E_ENTRY = 24,
  ELF64_E_PHOFF = 32,
  ELF64_E_SHOFF = 40,
  ELF64_E_FLAGS = 48,
  ELF64_E_EHSIZE = 52,
  ELF64_E_PHENTSIZE = 54,
  ELF64_E_PHNUM = 56,
  ELF64_E_SHENTSIZE = 58,
  ELF64_E_SHNUM = 60,
  ELF64_E_SHSTRNDX = 62,
  ELF64_EHDR_SIZE = 64
};

/* Program header (Elf64_Phdr) field offsets. */
enum {
  ELF64_P_TYPE = 0,
  ELF64_P_FLAGS = 4,
  ELF64_P_OFFSET = 8,
  ELF64_P_VADDR = 16,
  ELF64_P_PADDR = 24,
  ELF64_P_FILESZ = 32,
  ELF64_P_MEMSZ = 40,
  ELF64_P_ALIGN = 48,
  ELF64_PHDR_SIZE = 56
};

enum { ELF64_SHDR_SIZE = 64, ELF64_DYN_SIZE = 16, ELF64_RELA_SIZE = 24 };

/* Identification and header values. */
#define ELF64_CLASS_64 2u
#define ELF64_DATA_LSB 1u
#define ELF64_VERSION_CURRENT 1u
#define ELF64_OSABI_SYSV 0u
#define ELF64_OSABI_GNU 3u
#define ELF64_ET_EXEC 2u
#define ELF64_ET_DYN 3u
#define ELF64_EM_X86_64 62u
#define ELF64_PN_XNUM 0xffffu
#define ELF64_SHN_XINDEX 0xffffu

/* Segment types and flags. */
#define ELF64_PT_NULL 0u
#define ELF64_PT_LOAD 1u
#define ELF64_PT_DYNAMIC 2u
#define ELF64_PT_INTERP 3u
#define ELF64_PT_NOTE 4u
#define ELF64_PT_SHLIB 5u
#define ELF64_PT_PHDR 6u
#define ELF64_PT_TLS 7u
#define ELF64_PT_GNU_STACK 0x6474e551u
#define ELF64_PT_GNU_RELRO 0x6474e552u
#define ELF64_PF_X 0x1u
#define ELF64_PF_W 0x2u
#define ELF64_PF_R 0x4u

/* Dynamic tags. */
#define ELF64_DT_NULL 0
#define ELF64_DT_NEEDED 1
#define ELF64_DT_PLTRELSZ 2
#define ELF64_DT_RELA 7
#define ELF64_DT_RELASZ 8
#define ELF64_DT_RELAENT 9
#define ELF64_DT_REL 17
#define ELF64_DT_RELSZ 18
#define ELF64_DT_RELENT 19
#define ELF64_DT_PLTREL 20
#define ELF64_DT_TEXTREL 22
#define ELF64_DT_JMPREL 23
#define ELF64_DT_FLAGS 30
#define ELF64_DT_RELRSZ 35
#define ELF64_DT_RELR 36
#define ELF64_DT_RELRENT 37
#define ELF64_DT_RELACOUNT 0x6ffffff9
#define ELF64_DT_RELCOUNT 0x6ffffffa
#define ELF64_DF_TEXTREL 0x4u

/* x86-64 relocation types. */
#define ELF64_R_X86_64_NONE 0u
#define ELF64_R_X86_64_RELATIVE 8u

#endif
