/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Modsign throughput, two parts, every figure beside a baseline measured in
 * the same run on the same bytes (no thresholds):
 *
 * 1. In memory (MB/s, 10^6 bytes per second), 1 MiB and 64 MiB:
 *      envelope verify, freestanding, one-shot and streaming (64 KiB chunks)
 *      envelope sign, streaming
 *    against the hash alone (libsodium BLAKE2b-512 called directly from
 *    hosted code, the floor for a one-pass design) and against the same
 *    envelope work done by hand with libsodium (BLAKE2b + Ed25519).
 *
 * 2. Files (wall and CPU seconds, peak resident memory of the process, from
 *    wait4; CPU time is the steadier figure on a shared machine),
 *    OSPOLICY_BENCH_FILE_MIB MiB (default 1024) in $TMPDIR: `ospolicy sign`
 *    and `ospolicy verify` against `b2sum` (the hash alone), `minisign -S` /
 *    `-V` and `signify-openbsd -S` / `-V`, each the best of two runs with the
 *    file in the page cache. A peer that is not installed is reported as
 *    absent; the bench runs without it.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ospolicy/modsign.h"
#include "timing.h"

#define CHUNK ((size_t)65536)

typedef struct bench_state {
  const uint8_t *object;
  size_t size;
  OSPolicy_ModsignTrustSet *trust;
  OSPolicy_ModsignRequest request;
  uint8_t pk[32];
  uint8_t sk[64];
  size_t statement_size;
} bench_state;

static void must(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "bench_modsign: %s failed\n", what);
    exit(1);
  }
}

/* ---- 1. in memory ----------------------------------------------------- */

static void envelope_one_shot(void *arg) {
  bench_state *s = arg;
  OSPolicy_ModsignResult r;
  must(OSPolicy_VerifyModsign(s->trust, &s->request, s->object, s->size, &r) == OSPOLICY_OK,
       "one-shot verify");
}

static void envelope_streaming(void *arg) {
  bench_state *s = arg;
  OSPolicy_ModsignVerifier v;
  OSPolicy_ModsignResult r;
  must(OSPolicy_BeginModsignVerify(&v, s->trust, &s->request) == OSPOLICY_OK, "begin");
  for (size_t at = 0; at < s->size; at += CHUNK) {
    size_t n = s->size - at < CHUNK ? s->size - at : CHUNK;
    must(OSPolicy_UpdateModsignVerify(&v, s->object + at, n) == OSPOLICY_OK, "update");
  }
  must(OSPolicy_FinishModsignVerify(&v, &r) == OSPOLICY_OK, "finish");
}

static void envelope_sign(void *arg) {
  bench_state *s = arg;
  OSPolicy_ModsignSigner signer;
  OSPolicy_ModsignSignRequest req = {
      .kind = OSPOLICY_MODSIGN_KIND_KERNEL, .name = "kernel", .name_length = 6, .generation = 1};
  uint8_t out[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE];
  size_t size = 0;
  must(OSPolicy_BeginModsignSign(&signer) == OSPOLICY_OK, "sign begin");
  for (size_t at = 0; at < s->size; at += CHUNK) {
    size_t n = s->size - at < CHUNK ? s->size - at : CHUNK;
    must(OSPolicy_UpdateModsignSign(&signer, s->object + at, n) == OSPOLICY_OK, "sign update");
  }
  must(OSPolicy_FinishModsignSign(&signer, s->sk, &req, out, sizeof out, &size) == OSPOLICY_OK,
       "sign finish");
}

/* BLAKE2b-512 of the object in 64 KiB chunks, libsodium called directly. */
static void blake2b_object(const bench_state *s, uint8_t digest[64]) {
  crypto_generichash_blake2b_state st;
  crypto_generichash_blake2b_init(&st, NULL, 0, 64);
  for (size_t at = 0; at < s->size; at += CHUNK) {
    size_t n = s->size - at < CHUNK ? s->size - at : CHUNK;
    crypto_generichash_blake2b_update(&st, s->object + at, n);
  }
  crypto_generichash_blake2b_final(&st, digest, 64);
}

static void hash_alone(void *arg) {
  uint8_t digest[64];
  blake2b_object(arg, digest);
}

static void envelope_hosted(void *arg) {
  bench_state *s = arg;
  const uint8_t *env = s->request.envelope;
  must(crypto_sign_verify_detached(env + s->statement_size, env, s->statement_size, s->pk) == 0,
       "hosted Ed25519");
  uint8_t digest[64];
  blake2b_object(s, digest);
  must(memcmp(digest, env + 40, 64) == 0, "hosted digest");
}

static double mbps(size_t bytes, double ns) { return ns > 0.0 ? (double)bytes / ns * 1e3 : 0.0; }

static void run_size(size_t size, unsigned iterations, unsigned rounds) {
  uint8_t *object = malloc(size);
  must(object != NULL, "malloc");
  for (size_t i = 0; i < size; i++) {
    object[i] = (uint8_t)(i * 2654435761u >> 13);
  }
  uint8_t seed[32];
  memset(seed, 0x5E, sizeof seed);
  bench_state s;
  memset(&s, 0, sizeof s);
  must(crypto_sign_seed_keypair(s.pk, s.sk, seed) == 0, "keypair");
  uint8_t id[8];
  must(OSPolicy_ComputeModsignKeyId(s.pk, id) == OSPOLICY_OK, "key id");
  static OSPolicy_ModsignTrustSet trust;
  memset(&trust, 0, sizeof trust);
  must(OSPolicy_InitModsignTrustSet(&trust) == OSPOLICY_OK &&
           OSPolicy_AddModsignKey(&trust, id, s.pk) == OSPOLICY_OK,
       "trust set");
  static uint8_t envelope[OSPOLICY_MODSIGN_ENVELOPE_MAX_SIZE];
  size_t envelope_size = 0;
  OSPolicy_ModsignSignRequest req = {
      .kind = OSPOLICY_MODSIGN_KIND_KERNEL, .name = "kernel", .name_length = 6, .generation = 1};
  must(OSPolicy_SignModsign(s.sk, &req, object, size, envelope, sizeof envelope,
                            &envelope_size) == OSPOLICY_OK,
       "sign");
  s.object = object;
  s.size = size;
  s.trust = &trust;
  s.request = (OSPolicy_ModsignRequest){.envelope = envelope, .envelope_size = envelope_size,
                                        .kind = OSPOLICY_MODSIGN_KIND_KERNEL, .name = "kernel",
                                        .name_length = 6};
  s.statement_size = OSPOLICY_MODSIGN_STATEMENT_SIZE(6, 0);

  char label[96];
  unsigned mib = (unsigned)(size >> 20);
  double hash = mbps(size, bench_best_ns_per_iter(hash_alone, &s, iterations, rounds));
  double hosted = mbps(size, bench_best_ns_per_iter(envelope_hosted, &s, iterations, rounds));
  snprintf(label, sizeof label, "%u MiB verify, freestanding one-shot", mib);
  bench_report(label, mbps(size, bench_best_ns_per_iter(envelope_one_shot, &s, iterations, rounds)),
               "BLAKE2b-512 alone", hash, "MB/s");
  snprintf(label, sizeof label, "%u MiB verify, freestanding streaming", mib);
  bench_report(label,
               mbps(size, bench_best_ns_per_iter(envelope_streaming, &s, iterations, rounds)),
               "BLAKE2b-512 alone", hash, "MB/s");
  snprintf(label, sizeof label, "%u MiB sign, streaming", mib);
  bench_report(label, mbps(size, bench_best_ns_per_iter(envelope_sign, &s, iterations, rounds)),
               "BLAKE2b-512 alone", hash, "MB/s");
  snprintf(label, sizeof label, "%u MiB verify by hand (hosted libsodium)", mib);
  bench_report(label, hosted, "BLAKE2b-512 alone", hash, "MB/s");
  sodium_memzero(s.sk, sizeof s.sk);
  free(object);
}

/* ---- 2. files, beside the peers ---------------------------------------- */

typedef struct run_result {
  int ran;        /* 0: the program is not installed */
  int status;     /* exit status */
  double seconds;     /* best wall time */
  double cpu_seconds; /* best user + system time (steadier on a shared machine) */
  long max_rss_kib;
} run_result;

static int installed(const char *program) {
  if (strchr(program, '/') != NULL) {
    return access(program, X_OK) == 0;
  }
  const char *path = getenv("PATH");
  if (path == NULL) {
    return 0;
  }
  char *copy = strdup(path);
  must(copy != NULL, "strdup");
  int found = 0;
  for (char *dir = strtok(copy, ":"); dir != NULL && !found; dir = strtok(NULL, ":")) {
    char full[4096];
    snprintf(full, sizeof full, "%s/%s", dir, program);
    found = access(full, X_OK) == 0;
  }
  free(copy);
  return found;
}

/* Runs argv (stdin from /dev/null, stdout to /dev/null) `runs` times. */
static run_result run(char *const argv[], unsigned runs) {
  run_result best = {0, 0, 0.0, 0.0, 0};
  if (!installed(argv[0])) {
    return best;
  }
  best.ran = 1;
  for (unsigned r = 0; r < runs; r++) {
    uint64_t start = bench_now_ns();
    pid_t pid = fork();
    must(pid >= 0, "fork");
    if (pid == 0) {
      int null = open("/dev/null", O_RDWR);
      if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
      }
      execvp(argv[0], argv);
      _exit(127);
    }
    int status = 0;
    struct rusage usage;
    must(wait4(pid, &status, 0, &usage) == pid, "wait4");
    double seconds = (double)(bench_now_ns() - start) / 1e9;
    best.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    double cpu = (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 +
                 (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6;
    if (r == 0 || seconds < best.seconds) {
      best.seconds = seconds;
    }
    if (r == 0 || cpu < best.cpu_seconds) {
      best.cpu_seconds = cpu;
    }
    if (usage.ru_maxrss > best.max_rss_kib) {
      best.max_rss_kib = usage.ru_maxrss;
    }
  }
  return best;
}

static void report_run(const char *name, run_result r, run_result baseline,
                       const char *baseline_name) {
  if (!r.ran) {
    printf("%-44s absent (not installed; the bench runs without it)\n", name);
    return;
  }
  printf("%-38s %7.3f s (cpu %6.3f s)  peak RSS %7ld KiB  exit %d", name, r.seconds,
         r.cpu_seconds, r.max_rss_kib, r.status);
  if (baseline.ran && baseline.seconds > 0.0 && baseline.cpu_seconds > 0.0) {
    printf("  (%s: ratio %.2fx, cpu %.2fx)", baseline_name, r.seconds / baseline.seconds,
           r.cpu_seconds / baseline.cpu_seconds);
  }
  putchar('\n');
}

static void write_file(const char *path, size_t mib) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  must(fd >= 0, "create the object file");
  uint8_t *block = malloc((size_t)1 << 20);
  must(block != NULL, "malloc");
  for (size_t m = 0; m < mib; m++) {
    randombytes_buf(block, (size_t)1 << 20);
    size_t done = 0;
    while (done < ((size_t)1 << 20)) {
      ssize_t put = write(fd, block + done, ((size_t)1 << 20) - done);
      must(put > 0, "write the object file");
      done += (size_t)put;
    }
  }
  free(block);
  must(close(fd) == 0, "close the object file");
}

static void run_files(void) {
  const char *mib_text = getenv("OSPOLICY_BENCH_FILE_MIB");
  size_t mib = mib_text != NULL ? (size_t)strtoul(mib_text, NULL, 10) : 1024u;
  if (mib == 0) {
    printf("files: skipped (OSPOLICY_BENCH_FILE_MIB=0)\n");
    return;
  }
  const char *tmp = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/bench_modsign.XXXXXX", tmp);
  must(mkdtemp(dir) != NULL, "mkdtemp");
  char object[4200], sig[4200], sec[4200], pub[4200], msec[4200], mpub[4200], mig[4200];
  char ssec[4200], spub[4200], ssig[4200];
  snprintf(object, sizeof object, "%s/object.bin", dir);
  snprintf(sig, sizeof sig, "%s/object.bin.sig", dir);
  snprintf(sec, sizeof sec, "%s/k.sec", dir);
  snprintf(pub, sizeof pub, "%s/k.pub", dir);
  snprintf(msec, sizeof msec, "%s/m.key", dir);
  snprintf(mpub, sizeof mpub, "%s/m.pub", dir);
  snprintf(mig, sizeof mig, "%s/object.bin.minisig", dir);
  snprintf(ssec, sizeof ssec, "%s/s.sec", dir);
  snprintf(spub, sizeof spub, "%s/s.pub", dir);
  snprintf(ssig, sizeof ssig, "%s/object.bin.sig-signify", dir);
  printf("\nfiles: %zu MiB object in %s (page cache warm; best of 2 runs; peak RSS of the "
         "process)\n",
         mib, dir);
  write_file(object, mib);
  const char *tool = OSPOLICY_BINARY_DIR "/src/cli/ospolicy";

  char *keygen[] = {(char *)tool, "keygen", "--secret-key", sec, "--public-key", pub, NULL};
  run_result setup = run(keygen, 1);
  must(setup.ran && setup.status == 0, "ospolicy keygen");
  char *cat[] = {"cat", object, NULL}; /* warm the page cache */
  (void)run(cat, 1);

  char *b2[] = {"b2sum", object, NULL};
  run_result hash = run(b2, 2);
  report_run("b2sum (BLAKE2b-512 alone, baseline)", hash, hash, "b2sum");

  char *sign[] = {(char *)tool, "sign", "--secret-key", sec, "--kind", "data", "--generation",
                  "1", "--output", sig, object, NULL};
  run_result our_sign = run(sign, 2);
  char *verify[] = {(char *)tool, "verify", "--public-key", pub, "--kind", "data",
                    "--signature", sig, object, NULL};
  run_result our_verify = run(verify, 2);

  char *mgen[] = {"minisign", "-G", "-W", "-f", "-p", mpub, "-s", msec, NULL};
  run_result mkeys = run(mgen, 1);
  run_result msign = {0, 0, 0.0, 0.0, 0}, mverify = {0, 0, 0.0, 0.0, 0};
  if (mkeys.ran && mkeys.status == 0) {
    char *ms[] = {"minisign", "-S", "-s", msec, "-m", object, "-x", mig, NULL};
    msign = run(ms, 2);
    char *mv[] = {"minisign", "-V", "-p", mpub, "-m", object, "-x", mig, NULL};
    mverify = run(mv, 2);
  }
  char *sgen[] = {"signify-openbsd", "-G", "-n", "-p", spub, "-s", ssec, NULL};
  run_result skeys = run(sgen, 1);
  run_result ssign = {0, 0, 0.0, 0.0, 0}, sverify = {0, 0, 0.0, 0.0, 0};
  if (skeys.ran && skeys.status == 0) {
    char *ss[] = {"signify-openbsd", "-S", "-s", ssec, "-m", object, "-x", ssig, NULL};
    ssign = run(ss, 2);
    char *sv[] = {"signify-openbsd", "-V", "-p", spub, "-m", object, "-x", ssig, NULL};
    sverify = run(sv, 2);
  }
  report_run("ospolicy sign", our_sign, hash, "b2sum");
  report_run("ospolicy verify", our_verify, hash, "b2sum");
  report_run("minisign -S", msign, hash, "b2sum");
  report_run("minisign -V", mverify, hash, "b2sum");
  report_run("signify-openbsd -S", ssign, hash, "b2sum");
  report_run("signify-openbsd -V", sverify, hash, "b2sum");
  if (msign.ran && msign.seconds > 0.0 && mverify.seconds > 0.0 && msign.cpu_seconds > 0.0 &&
      mverify.cpu_seconds > 0.0) {
    printf("ospolicy sign / minisign -S: %.2fx (cpu %.2fx)   ospolicy verify / minisign -V: "
           "%.2fx (cpu %.2fx)\n",
           our_sign.seconds / msign.seconds, our_sign.cpu_seconds / msign.cpu_seconds,
           our_verify.seconds / mverify.seconds, our_verify.cpu_seconds / mverify.cpu_seconds);
  }
  const char *files[] = {object, sig, sec, pub, msec, mpub, mig, ssec, spub, ssig};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    (void)unlink(files[i]);
  }
  (void)rmdir(dir);
}

int main(void) {
  must(sodium_init() >= 0, "sodium_init");
  printf("modsign throughput (MB/s = 10^6 bytes/s; best round; same bytes, same run)\n");
  run_size((size_t)1 << 20, 8, 5);
  run_size((size_t)64 << 20, 1, 3);
  run_files();
  return 0;
}
