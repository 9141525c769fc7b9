/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The gate (docs/kernel.md, "Capabilities and MAC at the gate"): every
 * object an agent touches (the console, the IPC endpoint, the labelled
 * in-memory file store, the "net" object) is reached through a capability
 * token and then checked by MAC, in one function (gate_decide), fail closed:
 *   1. the policy: no verified policy, no access (PLAN_NOT_OK);
 *   2. the capability: OSPolicy_CheckCapability in the kernel's table (the
 *      agent's id as owner; forged, stale, another agent's, a missing right
 *      each refused with its status);
 *   3. MAC: OSPolicy_DecideMac(agent's label, object's label, operation).
 * Every refusal is one audit line: subject, object, operation and the
 * deciding rule (with its policy line).
 *
 * One capability table owned by the kernel, each slot recording its owning
 * agent (the core's owner field), so an agent's "table" is the slots it
 * owns; tokens carry a keyed tag (crypto_shorthash, key from the PAL's RNG),
 * so a token cannot be guessed from another. Every libsodium-reaching call
 * runs under kernel_crypto_enter (interrupts masked; the FS base is the
 * kernel's on every way in).
 */
#include "kernel.h"
#include "ospolicy/capability.h"
#include "ospolicy/pal.h"

#define GATE_SLOTS 512u
#define FILE_BYTES 64u
#define ENDPOINT_AGENT_BASE 0x80000000u /* the endpoint holds a token in transit as this owner */

typedef enum GateObjectKind { OBJ_CONSOLE = 1, OBJ_FILE = 2, OBJ_NET = 3, OBJ_ENDPOINT = 4 } GateObjectKind;

typedef struct GateObject {
  const char *name;  /* also its MAC label */
  GateObjectKind kind;
  uint32_t label;    /* resolved when the policy is verified */
  uint8_t data[FILE_BYTES];
  uint32_t length;
  uint64_t mailbox;  /* endpoint: the token in transit (0: empty) */
} GateObject;

static GateObject objects[] = {
    {"console", OBJ_CONSOLE, 0, {0}, 0, 0},
    {"store.public", OBJ_FILE, 0, "public notes", 12, 0},
    {"store.secret", OBJ_FILE, 0, "secret keys", 11, 0},
    {"store.plans", OBJ_FILE, 0, "the plans", 9, 0},
    {"net", OBJ_NET, 0, {0}, 0, 0},
    {"ipc.probe", OBJ_ENDPOINT, 0, {0}, 0, 0},
};
#define OBJECT_COUNT (sizeof objects / sizeof objects[0])
enum { O_CONSOLE = 0, O_PUBLIC = 1, O_SECRET = 2, O_PLANS = 3, O_NET = 4, O_ENDPOINT = 5 };

/* What each subject label is minted at load, in this order (cap_initial
 * index); every agent gets the console (write) first. */
typedef struct GateGrant {
  const char *label;
  uint32_t object;
  uint32_t rights;
} GateGrant;
static const GateGrant grants[] = {
    {"probe", O_PUBLIC, OSPOLICY_CAP_READ | OSPOLICY_CAP_WRITE | OSPOLICY_CAP_GRANT},
    {"probe", O_SECRET, OSPOLICY_CAP_READ | OSPOLICY_CAP_WRITE},
    {"probe", O_PLANS, OSPOLICY_CAP_READ},
    {"probe", O_NET, OSPOLICY_CAP_NET},
    {"probe", O_ENDPOINT, OSPOLICY_CAP_IPC},
    {"peer", O_ENDPOINT, OSPOLICY_CAP_IPC},
};

extern const uint8_t kernel_mac_policy[], kernel_mac_policy_sig[];
extern const size_t kernel_mac_policy_size, kernel_mac_policy_sig_size;

static KernelMac mac_state;
const KernelMac *kernel_mac_active;
static OSPolicy_CapabilitySlot slots[GATE_SLOTS];
static OSPolicy_CapabilityTable table;
static uint32_t next_agent_id;
static KernelModule verify_scratch;
uint64_t kernel_gate_audit_lines;

static size_t text_length(const char *text) {
  size_t n = 0;
  while (text[n] != '\0') {
    ++n;
  }
  return n;
}

OSPolicy_Status kernel_mac_load(const uint8_t *blob, size_t blob_size, const uint8_t *envelope, size_t envelope_size,
                                KernelMac *mac) {
  __builtin_memset(mac, 0, sizeof *mac);
  __builtin_memset(&verify_scratch, 0, sizeof verify_scratch);
  mac->signature = kernel_verify_signed(OSPOLICY_MODSIGN_KIND_DATA, "agents", envelope, envelope_size, blob, blob_size,
                                        &verify_scratch);
  if (mac->signature != OSPOLICY_OK) {
    mac->status = mac->signature;
    mac->policy.status = mac->signature; /* every decision on it: PLAN_NOT_OK */
    return mac->status;
  }
  mac->status = OSPolicy_ParseMacPolicy(blob, blob_size, &mac->policy);
  return mac->status;
}

static const char *label_name(uint32_t id, char *buffer, size_t capacity) {
  OSPolicy_MacLabel label;
  if (kernel_mac_active == NULL || OSPolicy_GetMacLabel(&kernel_mac_active->policy, id, &label) != OSPOLICY_OK) {
    return "?";
  }
  size_t n = label.name_length < capacity - 1u ? label.name_length : capacity - 1u;
  __builtin_memcpy(buffer, label.name, n);
  buffer[n] = '\0';
  return buffer;
}

OSPolicy_Status kernel_mac_init(OSBaremetal_TestReport *report) {
  const char *name = "kernel.mac_policy";
  OSBaremetal_TestStart(report, name);
  OSPolicy_Status status = kernel_mac_load(kernel_mac_policy, kernel_mac_policy_size, kernel_mac_policy_sig,
                                           kernel_mac_policy_sig_size, &mac_state);
  for (unsigned i = 0; status == OSPOLICY_OK && i < OBJECT_COUNT; ++i) {
    status = OSPolicy_FindMacLabel(&mac_state.policy, objects[i].name, text_length(objects[i].name), &objects[i].label);
  }
  if (status == OSPOLICY_OK) {
    status = OSPolicy_InitCapabilityTable(&table, slots, GATE_SLOTS);
  }
  if (status == OSPOLICY_OK) {
    /* Keyed tags: the key from the PAL's RNG (the entropy pool). */
    OSHost_RandomSource source;
    status = OSPolicy_PalFillRandom(table.tag_key, sizeof table.tag_key, &source);
    table.tag = OSPolicy_CapabilityShorthashTag;
  }
  if (status != OSPOLICY_OK) {
    mac_state.status = status;
    kernel_mac_active = &mac_state; /* present, not OK: every agent is refused */
    OSBaremetal_TestNote(report, "audit: mac policy refused (signature %s, policy %s): no agent will run",
                         OSBaremetal_StatusName(mac_state.signature), OSBaremetal_StatusName(status));
    OSBaremetal_TestFail(report, name, "the embedded policy was refused: %s", OSBaremetal_StatusName(status));
    return status;
  }
  kernel_mac_active = &mac_state;
  OSBaremetal_TestNote(report, "kernel: mac policy \"agents\" verified (kind data, %lu bytes): %u labels, %u rules; "
                               "%u objects labelled; capability table of %u slots, keyed",
                       (unsigned long)kernel_mac_policy_size, mac_state.policy.label_count,
                       mac_state.policy.rule_count, (unsigned)OBJECT_COUNT, GATE_SLOTS);
  OSBaremetal_TestPass(report, name);
  return OSPOLICY_OK;
}

static int same(const char *a, size_t a_length, const char *b) {
  size_t n = text_length(b);
  if (n != a_length) {
    return 0;
  }
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) {
      return 0;
    }
  }
  return 1;
}

static OSPolicy_Status mint(KernelAgent *agent, uint32_t object, uint32_t rights, uint64_t *token) {
  uint64_t flags = kernel_crypto_enter();
  OSPolicy_Status status = OSPolicy_MintCapability(&table, agent->id, (uint64_t)object + 1u, rights, token);
  kernel_crypto_leave(flags);
  return status;
}

OSPolicy_Status kernel_gate_admit(KernelAgent *agent, const char *label, size_t label_length) {
  const KernelMac *mac = kernel_mac_active;
  if (mac == NULL || mac->status != OSPOLICY_OK) {
    return mac == NULL ? OSPOLICY_ERR_PLAN_NOT_OK : mac->status; /* no valid policy: no agent */
  }
  if (label == NULL || label_length == 0u) {
    return OSPOLICY_ERR_MAC_UNKNOWN_NAME; /* an agent without a label is not admitted */
  }
  OSPolicy_Status status = OSPolicy_FindMacLabel(&mac->policy, label, label_length, &agent->mac_label);
  if (status != OSPOLICY_OK) {
    return status;
  }
  agent->id = ++next_agent_id;
  agent->initial_count = 0;
  status = mint(agent, O_CONSOLE, OSPOLICY_CAP_WRITE, &agent->console_token);
  if (status != OSPOLICY_OK) {
    return status;
  }
  agent->initial[agent->initial_count++] = agent->console_token;
  for (unsigned i = 0; i < sizeof grants / sizeof grants[0]; ++i) {
    if (!same(label, label_length, grants[i].label)) {
      continue;
    }
    if (agent->initial_count >= sizeof agent->initial / sizeof agent->initial[0]) {
      return OSPOLICY_ERR_CAPABILITY_TABLE_FULL;
    }
    status = mint(agent, grants[i].object, grants[i].rights, &agent->initial[agent->initial_count]);
    if (status != OSPOLICY_OK) {
      return status;
    }
    agent->initial_count++;
  }
  return OSPOLICY_OK;
}

/* ---- The one decision ---------------------------------------------------------- */

static void record(KernelAgent *agent, OSPolicy_Status status, uint32_t rule) {
  if (agent->gate_count < sizeof agent->gate_log / sizeof agent->gate_log[0]) {
    agent->gate_log[agent->gate_count] = status;
    agent->gate_rule[agent->gate_count] = rule;
  }
  agent->gate_count++;
  if (status != OSPOLICY_OK) {
    agent->gate_denials++;
  }
}

static void audit_capability(KernelAgent *agent, const char *op, uint64_t token, OSPolicy_Status status) {
  char subject[64];
  kernel_gate_audit_lines++;
  OSBaremetal_TestNote(kernel_report(), "audit: gate deny: subject %s (label %s) token 0x%lx op %s rule capability: %s",
                       agent->name, label_name(agent->mac_label, subject, sizeof subject), (unsigned long)token, op,
                       OSBaremetal_StatusName(status));
}

/* Capability, then MAC. OK: *object is the object the token names. */
static OSPolicy_Status gate_decide(KernelAgent *agent, uint64_t token, uint32_t right, uint32_t op,
                                   GateObject **object) {
  *object = NULL;
  const KernelMac *mac = kernel_mac_active;
  const char *op_name = OSPolicy_MacOpName(op);
  if (mac == NULL || mac->status != OSPOLICY_OK) {
    audit_capability(agent, op_name, token, OSPOLICY_ERR_PLAN_NOT_OK);
    record(agent, OSPOLICY_ERR_PLAN_NOT_OK, 0);
    return OSPOLICY_ERR_PLAN_NOT_OK;
  }
  OSPolicy_CapabilityInfo info;
  uint64_t flags = kernel_crypto_enter();
  if (op == OSPOLICY_MAC_OP_WRITE) {
    /* A write to the net object is the NET right and operation: the token
     * names the object, so the first check (NET, which grants nothing by
     * itself) says which one it is; anything else is a WRITE. */
    OSPolicy_CapabilityInfo peek;
    if (OSPolicy_CheckCapability(&table, agent->id, token, OSPOLICY_CAP_NET, &peek) == OSPOLICY_OK &&
        peek.object == O_NET + 1u) {
      right = OSPOLICY_CAP_NET;
      op = OSPOLICY_MAC_OP_NET;
      op_name = OSPolicy_MacOpName(op);
    }
  }
  OSPolicy_Status status = OSPolicy_CheckCapability(&table, agent->id, token, right, &info);
  kernel_crypto_leave(flags);
  if (status == OSPOLICY_OK && (info.object == 0u || info.object > OBJECT_COUNT)) {
    status = OSPOLICY_ERR_PLAN_NOT_OK; /* cannot happen: only the kernel mints */
  }
  if (status != OSPOLICY_OK) {
    audit_capability(agent, op_name, token, status);
    record(agent, status, 0);
    return status;
  }
  GateObject *target = &objects[info.object - 1u];
  OSPolicy_MacDecision decision;
  status = OSPolicy_DecideMac(&mac->policy, agent->mac_label, target->label, op, &decision);
  if (status != OSPOLICY_OK || decision.decision != OSPOLICY_DECISION_ALLOW) {
    if (status == OSPOLICY_OK) {
      status = OSPOLICY_ERR_PLAN_NOT_OK;
    }
    char subject[64];
    kernel_gate_audit_lines++;
    OSBaremetal_TestNote(kernel_report(),
                         "audit: gate deny: subject %s (label %s) object %s op %s rule %s line %u: %s "
                         "(Bell-LaPadula alone: %s)",
                         agent->name, label_name(agent->mac_label, subject, sizeof subject), target->name, op_name,
                         OSPolicy_MacRuleName(decision.rule), decision.rule_line, OSBaremetal_StatusName(status),
                         OSBaremetal_StatusName(decision.default_status));
    record(agent, status, decision.rule);
    return status;
  }
  record(agent, OSPOLICY_OK, decision.rule);
  *object = target;
  return OSPOLICY_OK;
}

/* Capability operations that touch no object's contents: the token must be
 * the caller's and valid; the core refuses the rest with its status. */
static OSPolicy_Status gate_capability(KernelAgent *agent, const char *op, uint64_t token, OSPolicy_Status status) {
  if (status != OSPOLICY_OK) {
    audit_capability(agent, op, token, status);
  }
  record(agent, status, 0);
  return status;
}

OSPolicy_Status kernel_gate_console(KernelAgent *agent) {
  GateObject *object;
  OSPolicy_Status status = gate_decide(agent, agent->console_token, OSPOLICY_CAP_WRITE, OSPOLICY_MAC_OP_WRITE, &object);
  if (status == OSPOLICY_OK && object->kind != OBJ_CONSOLE) {
    status = OSPOLICY_ERR_PLAN_NOT_OK;
  }
  return status;
}

static OSPolicy_Status obj_read(KernelAgent *agent, uint64_t token, uint64_t buffer, uint64_t length, uint64_t *value) {
  if (length > KERNEL_AGENT_WRITE_MAX) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  GateObject *object;
  OSPolicy_Status status = gate_decide(agent, token, OSPOLICY_CAP_READ, OSPOLICY_MAC_OP_READ, &object);
  if (status != OSPOLICY_OK) {
    return status;
  }
  if (object->kind != OBJ_FILE) {
    return OSPOLICY_ERR_INVALID_ARGUMENT; /* only files are read */
  }
  uint64_t n = length < object->length ? length : object->length;
  status = kernel_copy_to_user(buffer, object->data, (size_t)n);
  *value = status == OSPOLICY_OK ? n : 0u;
  return status;
}

static OSPolicy_Status obj_write(KernelAgent *agent, uint64_t token, uint64_t buffer, uint64_t length,
                                 uint64_t *value) {
  char text[KERNEL_AGENT_WRITE_MAX + 1u];
  if (length > KERNEL_AGENT_WRITE_MAX) {
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
  GateObject *object;
  OSPolicy_Status status = gate_decide(agent, token, OSPOLICY_CAP_WRITE, OSPOLICY_MAC_OP_WRITE, &object);
  if (status != OSPOLICY_OK) {
    return status;
  }
  if ((status = kernel_copy_from_user(text, buffer, (size_t)length)) != OSPOLICY_OK) {
    return status;
  }
  switch (object->kind) {
  case OBJ_FILE: {
    uint64_t n = length < FILE_BYTES ? length : FILE_BYTES;
    __builtin_memcpy(object->data, text, (size_t)n);
    object->length = (uint32_t)n;
    *value = n;
    return OSPOLICY_OK;
  }
  case OBJ_CONSOLE:
  case OBJ_NET:
    for (uint64_t i = 0; i < length; ++i) {
      if (text[i] < 0x20 || text[i] > 0x7e) {
        text[i] = '?';
      }
    }
    text[length] = '\0';
    OSBaremetal_TestNote(kernel_report(), "agent %s -> %s: %s", agent->name, object->name, text);
    *value = length;
    return OSPOLICY_OK;
  default:
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
}

OSPolicy_Status kernel_gate_syscall(KernelAgent *agent, uint64_t number, const KernelExceptionFrame *frame,
                                    uint64_t *value) {
  uint64_t token = frame->rdi;
  uint64_t flags;
  OSPolicy_Status status;
  GateObject *object;
  switch (number) {
  case KERNEL_SYS_CAP_INITIAL:
    if (frame->rdi >= agent->initial_count) {
      return OSPOLICY_ERR_OUT_OF_RANGE;
    }
    *value = agent->initial[frame->rdi];
    return OSPOLICY_OK;
  case KERNEL_SYS_CAP_DERIVE:
    if (frame->rsi > 0xFFFFFFFFu) {
      return gate_capability(agent, "derive", token, OSPOLICY_ERR_INVALID_ARGUMENT);
    }
    flags = kernel_crypto_enter();
    status = OSPolicy_DeriveCapability(&table, agent->id, token, (uint32_t)frame->rsi, value);
    kernel_crypto_leave(flags);
    return gate_capability(agent, "derive", token, status);
  case KERNEL_SYS_CAP_REVOKE: {
    uint32_t revoked = 0;
    flags = kernel_crypto_enter();
    status = OSPolicy_RevokeCapability(&table, agent->id, token, &revoked);
    kernel_crypto_leave(flags);
    *value = revoked;
    return gate_capability(agent, "revoke", token, status);
  }
  case KERNEL_SYS_CAP_SEND:
    status = gate_decide(agent, token, OSPOLICY_CAP_IPC, OSPOLICY_MAC_OP_IPC, &object);
    if (status != OSPOLICY_OK) {
      return status;
    }
    if (object->kind != OBJ_ENDPOINT || object->mailbox != 0u) {
      return OSPOLICY_ERR_INVALID_ARGUMENT; /* not an endpoint, or one already holding a token */
    }
    flags = kernel_crypto_enter();
    status = OSPolicy_TransferCapability(&table, agent->id, frame->rsi,
                                         ENDPOINT_AGENT_BASE + (uint32_t)(object - objects), &object->mailbox);
    kernel_crypto_leave(flags);
    return gate_capability(agent, "transfer", frame->rsi, status);
  case KERNEL_SYS_CAP_RECV:
    status = gate_decide(agent, token, OSPOLICY_CAP_IPC, OSPOLICY_MAC_OP_IPC, &object);
    if (status != OSPOLICY_OK) {
      return status;
    }
    if (object->kind != OBJ_ENDPOINT || object->mailbox == 0u) {
      return OSPOLICY_ERR_INVALID_ARGUMENT; /* nothing in transit */
    }
    flags = kernel_crypto_enter();
    status = OSPolicy_TransferCapability(&table, ENDPOINT_AGENT_BASE + (uint32_t)(object - objects), object->mailbox,
                                         agent->id, value);
    kernel_crypto_leave(flags);
    if (status == OSPOLICY_OK) {
      object->mailbox = 0;
    }
    return gate_capability(agent, "transfer", object->mailbox, status);
  case KERNEL_SYS_OBJ_READ:
    return obj_read(agent, token, frame->rsi, frame->rdx, value);
  case KERNEL_SYS_OBJ_WRITE:
    return obj_write(agent, token, frame->rsi, frame->rdx, value);
  default:
    return OSPOLICY_ERR_INVALID_ARGUMENT;
  }
}
