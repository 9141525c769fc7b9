/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Agents for the kernel's ring-3 boot tests (docs/kernel.md, "Agents"). One
 * source, one static-pie image per AGENT_<CASE> macro (kernel/CMakeLists.txt):
 * a well-behaved agent that uses every system call, and the hostile ones,
 * each of which tries exactly one thing the kernel must stop. The kernel
 * passes two arguments in RDI and RSI (an address to probe, for instance) and
 * checks how the agent ended: its exit code, or the fault that killed it.
 * Built -ffreestanding -nostdlib, no stack protector (an agent has no TLS).
 */
#include <stdint.h>

enum { SYS_EXIT = 0, SYS_WRITE = 1, SYS_YIELD = 2, SYS_MAP = 3, SYS_PROTECT = 4, SYS_GETRANDOM = 5 };
enum { SYS_CAP_INITIAL = 6, SYS_CAP_DERIVE = 7, SYS_CAP_REVOKE = 8, SYS_CAP_SEND = 9, SYS_CAP_RECV = 10,
       SYS_OBJ_READ = 11, SYS_OBJ_WRITE = 12 };
enum { CAP_READ = 1, CAP_WRITE = 2, CAP_GRANT = 0x40 };
enum { PROT_R = 1, PROT_W = 2, PROT_X = 4 };
#define STATUS_OK 1

static long sys(long number, long a, long b, long c, long *value) {
  register long rdx __asm__("rdx") = c;
  long rax = number;
  __asm__ volatile("syscall" : "+a"(rax), "+d"(rdx) : "D"(a), "S"(b) : "rcx", "r11", "memory");
  if (value != 0) {
    *value = rdx;
  }
  return rax;
}

__attribute__((noreturn)) static void sys_exit(long code) {
  sys(SYS_EXIT, code, 0, 0, 0);
  for (;;) {
  }
}

static long say(const char *text) {
  long n = 0;
  while (text[n] != '\0') {
    ++n;
  }
  return sys(SYS_WRITE, (long)text, n, 0, 0);
}

typedef long (*fn)(void);

__attribute__((noreturn)) void agent_entry(uint64_t arg0, uint64_t arg1) {
  (void)arg0;
  (void)arg1;
#if defined(AGENT_HELLO)
  /* Every system call once: write, getrandom, map, write into the page,
   * protect RW -> RX, run it, yield, exit with what it returned. */
  if (say("hello from ring 3") != STATUS_OK) {
    sys_exit(1);
  }
  uint8_t random[16];
  long got = 0;
  if (sys(SYS_GETRANDOM, (long)random, sizeof random, 0, &got) != STATUS_OK || got != (long)sizeof random) {
    sys_exit(2);
  }
  long page = 0;
  if (sys(SYS_MAP, 1, 0, 0, &page) != STATUS_OK || page == 0) {
    sys_exit(3);
  }
  volatile uint8_t *code = (volatile uint8_t *)page;
  const uint8_t ret42[] = {0xB8, 0x2A, 0x00, 0x00, 0x00, 0xC3}; /* mov eax, 42; ret */
  for (unsigned i = 0; i < sizeof ret42; ++i) {
    code[i] = ret42[i];
  }
  if (sys(SYS_PROTECT, page, 4096, PROT_R | PROT_X, 0) != STATUS_OK) {
    sys_exit(4);
  }
  long result = ((fn)page)();
  sys(SYS_YIELD, 0, 0, 0, 0);
  say("hello again after a yield");
  sys_exit(result == 42 ? 0x600d : 5);
#elif defined(AGENT_READ_ADDRESS)
  /* A read of arg0: a kernel address, or another agent's page. */
  volatile uint8_t byte = *(volatile uint8_t *)arg0;
  (void)byte;
  sys_exit(0x0bad);
#elif defined(AGENT_WRITE_TEXT)
  *(volatile uint8_t *)(uintptr_t)&agent_entry = 0xCC;
  sys_exit(0x0bad);
#elif defined(AGENT_EXEC_STACK)
  volatile uint8_t ret[16];
  ret[0] = 0xC3;
  ((fn)(uintptr_t)ret)();
  sys_exit(0x0bad);
#elif defined(AGENT_EXEC_HEAP)
  long page = 0;
  if (sys(SYS_MAP, 1, 0, 0, &page) != STATUS_OK) {
    sys_exit(1);
  }
  *(volatile uint8_t *)page = 0xC3;
  ((fn)page)();
  sys_exit(0x0bad);
#elif defined(AGENT_SYSCALL_DENIED)
  /* map is not in this agent's bitmap: its manifest names exit and write. */
  sys(SYS_MAP, 1, 0, 0, 0);
  sys_exit(0x0bad);
#elif defined(AGENT_PROTECT_RWX)
  long page = 0;
  if (sys(SYS_MAP, 1, 0, 0, &page) != STATUS_OK) {
    sys_exit(1);
  }
  long status = sys(SYS_PROTECT, page, 4096, PROT_R | PROT_W | PROT_X, 0);
  *(volatile uint8_t *)page = 1; /* still writable: the refusal changed nothing */
  sys_exit(status);
#elif defined(AGENT_BAD_POINTER)
  /* write() from a kernel address, then from an unmapped user address. */
  long kernel = sys(SYS_WRITE, (long)arg0, 16, 0, 0);
  long unmapped = sys(SYS_WRITE, (long)arg1, 16, 0, 0);
  long wrapping = sys(SYS_WRITE, -8L, 16, 0, 0);
  say("still alive after three bad pointers");
  sys_exit(kernel | (unmapped << 16) | (wrapping << 32));
#elif defined(AGENT_SPIN)
  say("spinning");
  for (;;) {
    __asm__ volatile("" ::: "memory");
  }
#elif defined(AGENT_QUOTA)
  long pages = 0;
  long status;
  long page;
  while ((status = sys(SYS_MAP, 1, 0, 0, &page)) == STATUS_OK) {
    ++pages;
  }
  sys_exit(pages | (status << 16));
#elif defined(AGENT_PRIVILEGED)
  /* arg0 picks one thing ring 3 may not do, or (3) a legal one that would
   * hurt a kernel trusting the FS base: load the user data selector into FS
   * (its base becomes 0), then make system calls. */
  switch (arg0) {
    case 0:
      __asm__ volatile("cli");
      break;
    case 1:
      __asm__ volatile("outb %%al, $0xf4" : : "a"(0));
      break;
    case 2:
      __asm__ volatile("int $0x0e");
      break;
    default: {
      __asm__ volatile("movw %w0, %%fs" : : "r"(0x1B) : "memory");
      long ok = say("FS base is now 0 in ring 3");
      sys_exit(ok == STATUS_OK ? 0x600d : 1);
    }
  }
  sys_exit(0x0bad);
#elif defined(AGENT_OVER_QUOTA)
  /* 2 MiB of .bss: more memory than its manifest's 1 MiB allows, so the
   * kernel refuses the image at load; it never runs. */
  static volatile uint8_t big[2u << 20];
  big[arg0 & 0xFFFFFu] = 1;
  sys_exit(0x0bad);
#elif defined(AGENT_CAP_PROBE)
  /* The gate's cases, in a fixed order; the kernel checks what it decided
   * for each call (KernelAgent.gate_log), not what this agent says.
   * Tokens minted at load: console, store.public (rw, grant), store.secret
   * (rw), store.plans (r), net (net), ipc.probe (ipc). */
  long t[6];
  for (int i = 0; i < 6; ++i) {
    if (sys(SYS_CAP_INITIAL, i, 0, 0, &t[i]) != STATUS_OK) {
      sys_exit(0x100 + i);
    }
  }
  char buffer[32];
  long n = 0;
  long d1 = 0, d2 = 0, ro = 0, wide = 0;
  sys(SYS_OBJ_WRITE, 0x0123456789abcdefL, (long)"forged", 6, &n); /* 0 forged token */
  sys(SYS_OBJ_WRITE, t[2] ^ (1L << 48), (long)"forged", 6, &n);   /* 1 a real slot and generation, a forged tag */
  sys(SYS_CAP_DERIVE, t[3], CAP_READ | CAP_WRITE, 0, &wide);      /* 2 derive more rights */
  sys(SYS_CAP_DERIVE, t[1], CAP_READ, 0, &d1);                    /* 3 child */
  sys(SYS_CAP_DERIVE, d1, CAP_READ, 0, &d2);                      /* 4 grandchild */
  sys(SYS_OBJ_READ, d2, (long)buffer, sizeof buffer, &n);         /* 5 works before the revoke */
  sys(SYS_CAP_REVOKE, d1, 0, 0, &n);                              /* 6 revoke the child (and the grandchild) */
  sys(SYS_OBJ_READ, d1, (long)buffer, sizeof buffer, &n);         /* 7 stale */
  sys(SYS_OBJ_READ, d2, (long)buffer, sizeof buffer, &n);         /* 8 the derived one died too */
  sys(SYS_OBJ_READ, t[1], (long)buffer, sizeof buffer, &n);       /* 9 the parent lives */
  sys(SYS_OBJ_READ, t[2], (long)buffer, sizeof buffer, &n);       /* 10 read up: BLP */
  sys(SYS_OBJ_WRITE, t[1], (long)"down", 4, &n);                  /* 11 write down: BLP */
  sys(SYS_OBJ_READ, t[3], (long)buffer, sizeof buffer, &n);       /* 12 read up, explicitly allowed */
  sys(SYS_OBJ_WRITE, t[4], (long)"exfiltrate", 10, &n);           /* 13 net: BLP allows, the deny rule wins */
  sys(SYS_OBJ_WRITE, t[2], (long)"up", 2, &n);                    /* 14 write up: BLP allows */
  sys(SYS_CAP_DERIVE, t[1], CAP_READ | CAP_GRANT, 0, &ro);        /* 15 a read-only token to give away */
  sys(SYS_CAP_SEND, t[5], ro, 0, &n);                             /* 16 through the endpoint (17: the transfer) */
  sys(SYS_OBJ_READ, ro, (long)buffer, sizeof buffer, &n);         /* 18 no longer ours: stale */
  sys_exit(0x600d);
#elif defined(AGENT_CAP_PEER)
  /* The other end of ipc.probe: receives the read-only token, tries to write. */
  long ep = 0, got = 0, n = 0;
  char buffer[32];
  if (sys(SYS_CAP_INITIAL, 1, 0, 0, &ep) != STATUS_OK) {
    sys_exit(1);
  }
  sys(SYS_CAP_RECV, ep, 0, 0, &got);                               /* 0 endpoint check, 1 the transfer */
  sys(SYS_OBJ_WRITE, got, (long)"overwrite", 9, &n);               /* 2 refused: read-only */
  sys(SYS_OBJ_READ, got, (long)buffer, sizeof buffer, &n);         /* 3 read works */
  sys_exit(0x600d);
#elif defined(AGENT_WORKER)
  /* Well-behaved, beside a hostile agent: a few turns, then exit. */
  for (int i = 0; i < 3; ++i) {
    say("worker turn");
    sys(SYS_YIELD, 0, 0, 0, 0);
  }
  sys_exit(0x600d);
#else
#error "define one AGENT_<CASE>"
#endif
}
