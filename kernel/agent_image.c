/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Signed agent images (docs/kernel.md, "Agents"): a static-pie ELF whose
 * non-loaded section `.ospolicy.manifest` holds the agent's app manifest,
 * signed as a whole (modsign kind `agent`, name = the agent's name), so the
 * signature covers program and manifest at once. Loading, in order, each
 * step refusing with its status and nothing mapped before the last:
 *   verify    the envelope against the sealed trust set (kernel_verify_signed)
 *   manifest  the section found (bounds-checked section headers) and
 *             validated by the same validator as the host's; its name must be
 *             the signed name (denied-modsign-wrong-object otherwise)
 *   policy    the sandbox-profile compiler (OSPolicy_CompileSandboxProfile,
 *             the one `ospolicy run` uses) with this kernel's name table
 *             (kernel_syscall_table): the syscall bitmap (the names in
 *             `syscalls` plus those of the minimal runtime set this kernel
 *             has: exit, getrandom); a name the table lacks stays denied and
 *             is counted; the frame quota from limits.memoryBytes
 *             (rounded up to pages) or KERNEL_AGENT_DEFAULT_QUOTA; the CPU
 *             budget KERNEL_AGENT_DEFAULT_BUDGET (the manifest has no CPU
 *             limit) unless the caller asks for less
 *   load      kernel_agent_load (agent.c): plan, quota, map W^X, ASLR.
 */
#include "kernel.h"
#include "ospolicy/manifest.h"
#include "ospolicy/modsign.h"
#include "ospolicy/pal.h"
#include "ospolicy/sandbox_profile.h"

#define MANIFEST_SECTION ".ospolicy.manifest"
#define SHT_NOBITS 8u

/* Sorted by name, as the profile compiler requires. */
const OSPolicy_SyscallName kernel_syscall_names[KERNEL_SYS_COUNT] = {
    {"cap_derive", KERNEL_SYS_CAP_DERIVE}, {"cap_initial", KERNEL_SYS_CAP_INITIAL},
    {"cap_recv", KERNEL_SYS_CAP_RECV},     {"cap_revoke", KERNEL_SYS_CAP_REVOKE},
    {"cap_send", KERNEL_SYS_CAP_SEND},     {"exit", KERNEL_SYS_EXIT},
    {"getrandom", KERNEL_SYS_GETRANDOM},   {"map", KERNEL_SYS_MAP},
    {"obj_read", KERNEL_SYS_OBJ_READ},     {"obj_write", KERNEL_SYS_OBJ_WRITE},
    {"protect", KERNEL_SYS_PROTECT},       {"write", KERNEL_SYS_WRITE},
    {"yield", KERNEL_SYS_YIELD},
};
const OSPolicy_SyscallTable kernel_syscall_table = {kernel_syscall_names, KERNEL_SYS_COUNT};

static KernelModule verify_scratch;
static OSPolicy_ManifestResult manifest_result;
static OSPolicy_SandboxProfile profile;

static uint64_t le(const uint8_t *p, unsigned bytes) {
  uint64_t value = 0;
  for (unsigned i = 0; i < bytes; ++i) {
    value |= (uint64_t)p[i] << (8u * i);
  }
  return value;
}

/* [offset, offset + size) inside a file of `file_size` bytes. */
static int inside(uint64_t offset, uint64_t size, size_t file_size) {
  uint64_t end;
  return !__builtin_add_overflow(offset, size, &end) && end <= file_size;
}

OSPolicy_Status kernel_find_manifest_section(const uint8_t *elf, size_t size, const uint8_t **text,
                                             size_t *text_size) {
  *text = NULL;
  *text_size = 0;
  if (size < 64u) {
    return OSPOLICY_ERR_ELF_TRUNCATED;
  }
  if (elf[0] != 0x7F || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
    return OSPOLICY_ERR_ELF_BAD_MAGIC;
  }
  uint64_t shoff = le(elf + 0x28, 8);
  uint64_t shentsize = le(elf + 0x3A, 2);
  uint64_t shnum = le(elf + 0x3C, 2);
  uint64_t shstrndx = le(elf + 0x3E, 2);
  if (shentsize != 64u || shnum == 0u || shstrndx >= shnum) {
    return OSPOLICY_ERR_ELF_BAD_HEADER;
  }
  if (!inside(shoff, shnum * 64u, size)) {
    return OSPOLICY_ERR_ELF_TRUNCATED;
  }
  const uint8_t *strtab_header = elf + shoff + shstrndx * 64u;
  uint64_t strtab = le(strtab_header + 0x18, 8);
  uint64_t strtab_size = le(strtab_header + 0x20, 8);
  if (!inside(strtab, strtab_size, size)) {
    return OSPOLICY_ERR_ELF_TRUNCATED;
  }
  static const char wanted[] = MANIFEST_SECTION;
  for (uint64_t i = 0; i < shnum; ++i) {
    const uint8_t *header = elf + shoff + i * 64u;
    uint64_t name = le(header, 4);
    if (name >= strtab_size || strtab_size - name < sizeof wanted) {
      continue;
    }
    const uint8_t *candidate = elf + strtab + name;
    size_t k = 0;
    while (k < sizeof wanted && candidate[k] == (uint8_t)wanted[k]) {
      ++k;
    }
    if (k != sizeof wanted) { /* the NUL matched too: the whole name */
      continue;
    }
    uint64_t type = le(header + 4, 4);
    uint64_t offset = le(header + 0x18, 8);
    uint64_t bytes = le(header + 0x20, 8);
    if (type == SHT_NOBITS || !inside(offset, bytes, size)) {
      return OSPOLICY_ERR_ELF_TRUNCATED;
    }
    *text = elf + offset;
    *text_size = (size_t)bytes;
    return OSPOLICY_OK;
  }
  return OSPOLICY_ERR_MANIFEST_MISSING_FIELD; /* no manifest: nothing to grant */
}

static int same_text(const OSPolicy_ManifestString *a, const char *b) {
  size_t n = 0;
  while (b[n] != '\0') {
    ++n;
  }
  if (a->length != n) {
    return 0;
  }
  for (size_t i = 0; i < n; ++i) {
    if (a->data[i] != b[i]) {
      return 0;
    }
  }
  return 1;
}

/* Validates the manifest in PAL pages and compiles what the kernel needs
 * from it before the workspace goes. */
static OSPolicy_Status manifest_policy(const char *name, const uint8_t *text, size_t text_size, KernelAgentSpec *spec,
                                       uint32_t *unknown, KernelAgent *agent, OSPolicy_Status *mac_status) {
  size_t required = 0;
  OSPolicy_Status status = OSPolicy_GetManifestWorkspaceSize(text_size, &required);
  void *workspace = NULL;
  size_t pages = (required + 4095u) / 4096u;
  if (status == OSPOLICY_OK) {
    status = OSPolicy_PalAllocatePages(pages, &workspace);
  }
  if (status != OSPOLICY_OK) {
    return status;
  }
  OSPolicy_ManifestRequest request = {(const char *)text, text_size, 0, workspace, pages * 4096u};
  status = OSPolicy_ValidateManifest(&request, &manifest_result);
  if (status == OSPOLICY_OK) {
    const OSPolicy_Manifest *manifest = &manifest_result.manifest;
    if (!same_text(&manifest->name, name)) {
      status = OSPOLICY_DENIED_MODSIGN_WRONG_OBJECT;
    } else if ((*mac_status = kernel_gate_admit(agent, manifest->mac_label.data, manifest->mac_label.length)) !=
               OSPOLICY_OK) {
      status = *mac_status; /* no valid policy, or a label it does not know: refused at "mac" */
    } else if ((status = OSPolicy_CompileSandboxProfile(manifest, &kernel_syscall_table, &profile)) == OSPOLICY_OK) {
      /* Every kernel number is below 64: word 0 holds the whole bitmap. */
      spec->syscalls = profile.allowed[0];
      *unknown = (uint32_t)profile.unknown_count;
      spec->quota_frames = KERNEL_AGENT_DEFAULT_QUOTA;
      if (manifest->memory_bytes != 0u) {
        uint64_t frames = manifest->memory_bytes / 4096u + (manifest->memory_bytes % 4096u != 0u ? 1u : 0u);
        spec->quota_frames = frames;
      }
    }
  }
  if (OSPolicy_PalFreePages(workspace, pages) != OSPOLICY_OK) {
    kernel_panic("agent manifest workspace could not be unmapped");
  }
  return status;
}

OSPolicy_Status kernel_agent_load_signed(const KernelAgentImage *image, const KernelAgentStart *start,
                                         KernelAgent *agent) {
  __builtin_memset(agent, 0, sizeof *agent);
  agent->name = image->name;
  __builtin_memset(&verify_scratch, 0, sizeof verify_scratch);
  OSPolicy_Status status = kernel_verify_signed(OSPOLICY_MODSIGN_KIND_AGENT, image->name, image->envelope,
                                                image->envelope_size, image->image, image->image_size,
                                                &verify_scratch);
  if (status != OSPOLICY_OK) {
    return kernel_agent_refuse(agent, "verify", status);
  }
  const uint8_t *text = NULL;
  size_t text_size = 0;
  KernelAgentSpec spec = {image->name, image->image, image->image_size, 0, KERNEL_AGENT_DEFAULT_BUDGET, 0,
                          start->arg0, start->arg1};
  uint32_t unknown = 0;
  OSPolicy_Status mac_status = OSPOLICY_STATUS_UNSET;
  status = kernel_find_manifest_section(image->image, image->image_size, &text, &text_size);
  if (status == OSPOLICY_OK) {
    status = manifest_policy(image->name, text, text_size, &spec, &unknown, agent, &mac_status);
  }
  if (status != OSPOLICY_OK) {
    return kernel_agent_refuse(agent, mac_status != OSPOLICY_STATUS_UNSET && mac_status != OSPOLICY_OK ? "mac" : "manifest",
                               status);
  }
  /* kernel_agent_load starts from a clean struct: keep what the gate gave. */
  KernelAgent admitted = *agent;
  if (start->budget_ticks != 0u && start->budget_ticks < spec.budget_ticks) {
    spec.budget_ticks = start->budget_ticks;
  }
  status = kernel_agent_load(&spec, agent);
  agent->unknown_syscalls = unknown;
  agent->id = admitted.id;
  agent->mac_label = admitted.mac_label;
  agent->initial_count = admitted.initial_count;
  __builtin_memcpy(agent->initial, admitted.initial, sizeof agent->initial);
  agent->console_token = admitted.console_token;
  return status;
}
