/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * Modsign verification throughput (MB/s, 10^6 bytes per second) for a 1 MiB
 * and a 64 MiB object, all on the same bytes and in the same run:
 *
 *   envelope, freestanding, one-shot   OSPolicy_VerifyModsign (the freestanding
 *                                      crypto library, as the loader/kernel link it)
 *   envelope, freestanding, streaming  Begin + Update in 64 KiB chunks + Finish
 *   baseline: envelope work, hosted    the same work by hand from hosted code:
 *                                      libsodium SHA-256 + Ed25519ph called directly
 *   raw Ed25519 one-shot vs Ed25519ph streaming over the bare object
 *                                      (OSPolicy_VerifyEd25519 against
 *                                      OSPolicy_*Ed25519ph, and libsodium direct)
 *
 * Figures only, no thresholds. The envelope hashes the object twice (SHA-256
 * for the signed digest, SHA-512 inside Ed25519ph), which the hosted
 * baseline does as well.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ospolicy/modsign.h"
#include "timing.h"

typedef struct bench_state {
  const uint8_t *object;
  size_t size;
  OSPolicy_ModsignTrustSet *trust;
  OSPolicy_ModsignRequest request;
  uint8_t pk[32];
  uint8_t raw_sig[64]; /* pure Ed25519 over the object */
  uint8_t ph_sig[64];  /* Ed25519ph over the object */
  size_t statement_size;
} bench_state;

static void must(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "bench_modsign: %s failed\n", what);
    exit(1);
  }
}

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
  for (size_t at = 0; at < s->size; at += 65536) {
    size_t n = s->size - at < 65536 ? s->size - at : 65536;
    must(OSPolicy_UpdateModsignVerify(&v, s->object + at, n) == OSPOLICY_OK, "update");
  }
  must(OSPolicy_FinishModsignVerify(&v, &r) == OSPOLICY_OK, "finish");
}

static void envelope_hosted(void *arg) {
  bench_state *s = arg;
  uint8_t digest[32];
  crypto_hash_sha256_state sha;
  crypto_sign_ed25519ph_state ph;
  crypto_hash_sha256_init(&sha);
  crypto_sign_ed25519ph_init(&ph);
  crypto_sign_ed25519ph_update(&ph, s->request.envelope, s->statement_size);
  for (size_t at = 0; at < s->size; at += 65536) {
    size_t n = s->size - at < 65536 ? s->size - at : 65536;
    crypto_hash_sha256_update(&sha, s->object + at, n);
    crypto_sign_ed25519ph_update(&ph, s->object + at, n);
  }
  crypto_hash_sha256_final(&sha, digest);
  must(memcmp(digest, s->request.envelope + 40, 32) == 0, "hosted digest");
  must(crypto_sign_ed25519ph_final_verify(&ph, s->request.envelope + s->statement_size, s->pk) ==
           0,
       "hosted Ed25519ph");
}

static void raw_pure_freestanding(void *arg) {
  bench_state *s = arg;
  must(OSPolicy_VerifyEd25519(s->pk, s->object, s->size, s->raw_sig) == OSPOLICY_OK, "raw pure");
}

static void raw_pure_hosted(void *arg) {
  bench_state *s = arg;
  must(crypto_sign_verify_detached(s->raw_sig, s->object, s->size, s->pk) == 0, "hosted pure");
}

static void raw_ph_freestanding(void *arg) {
  bench_state *s = arg;
  OSPolicy_Ed25519phState st;
  must(OSPolicy_BeginEd25519ph(&st) == OSPOLICY_OK, "ph begin");
  for (size_t at = 0; at < s->size; at += 65536) {
    size_t n = s->size - at < 65536 ? s->size - at : 65536;
    must(OSPolicy_UpdateEd25519ph(&st, s->object + at, n) == OSPOLICY_OK, "ph update");
  }
  must(OSPolicy_FinishEd25519phVerify(&st, s->pk, s->ph_sig) == OSPOLICY_OK, "ph finish");
}

static void raw_ph_hosted(void *arg) {
  bench_state *s = arg;
  crypto_sign_state st;
  crypto_sign_init(&st);
  for (size_t at = 0; at < s->size; at += 65536) {
    size_t n = s->size - at < 65536 ? s->size - at : 65536;
    crypto_sign_update(&st, s->object + at, n);
  }
  must(crypto_sign_final_verify(&st, s->ph_sig, s->pk) == 0, "hosted ph");
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
  uint8_t sk[64];
  bench_state s;
  memset(&s, 0, sizeof s);
  must(crypto_sign_seed_keypair(s.pk, sk, seed) == 0, "keypair");
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
  must(OSPolicy_SignModsign(sk, &req, object, size, envelope, sizeof envelope, &envelope_size) ==
           OSPOLICY_OK,
       "sign");
  s.object = object;
  s.size = size;
  s.trust = &trust;
  s.request = (OSPolicy_ModsignRequest){.envelope = envelope, .envelope_size = envelope_size,
                                        .kind = OSPOLICY_MODSIGN_KIND_KERNEL, .name = "kernel",
                                        .name_length = 6};
  s.statement_size = OSPOLICY_MODSIGN_STATEMENT_SIZE(6);
  must(crypto_sign_detached(s.raw_sig, NULL, object, size, sk) == 0, "raw sign");
  crypto_sign_state st;
  crypto_sign_init(&st);
  crypto_sign_update(&st, object, size);
  must(crypto_sign_final_create(&st, s.ph_sig, NULL, sk) == 0, "ph sign");
  sodium_memzero(sk, sizeof sk);

  char label[96], base[64];
  unsigned mib = (unsigned)(size >> 20);
  double hosted = mbps(size, bench_best_ns_per_iter(envelope_hosted, &s, iterations, rounds));
  snprintf(label, sizeof label, "%u MiB envelope, freestanding one-shot", mib);
  snprintf(base, sizeof base, "hosted libsodium by hand");
  bench_report(label, mbps(size, bench_best_ns_per_iter(envelope_one_shot, &s, iterations, rounds)),
               base, hosted, "MB/s");
  snprintf(label, sizeof label, "%u MiB envelope, freestanding streaming", mib);
  bench_report(label,
               mbps(size, bench_best_ns_per_iter(envelope_streaming, &s, iterations, rounds)),
               base, hosted, "MB/s");
  double pure_hosted = mbps(size, bench_best_ns_per_iter(raw_pure_hosted, &s, iterations, rounds));
  double pure_free =
      mbps(size, bench_best_ns_per_iter(raw_pure_freestanding, &s, iterations, rounds));
  double ph_hosted = mbps(size, bench_best_ns_per_iter(raw_ph_hosted, &s, iterations, rounds));
  double ph_free = mbps(size, bench_best_ns_per_iter(raw_ph_freestanding, &s, iterations, rounds));
  snprintf(label, sizeof label, "%u MiB raw Ed25519 one-shot, freestanding", mib);
  bench_report(label, pure_free, "hosted crypto_sign_verify_detached", pure_hosted, "MB/s");
  snprintf(label, sizeof label, "%u MiB raw Ed25519ph streaming, freestanding", mib);
  bench_report(label, ph_free, "hosted crypto_sign_final_verify", ph_hosted, "MB/s");
  snprintf(label, sizeof label, "%u MiB Ed25519ph streaming vs one-shot", mib);
  bench_report(label, ph_free, "Ed25519 one-shot (freestanding)", pure_free, "MB/s");
  free(object);
}

int main(void) {
  must(sodium_init() >= 0, "sodium_init");
  printf("modsign verification throughput (MB/s = 10^6 bytes/s; best round; same bytes, same run)\n");
  run_size((size_t)1 << 20, 8, 5);
  run_size((size_t)64 << 20, 1, 3);
  return 0;
}
