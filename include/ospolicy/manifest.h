/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * App manifests: the one document that says what an app may do (entry,
 * environment, files, listening services, capabilities, MAC label, syscall
 * allowlist, resource limits, cloud-metadata access). This component reads a
 * manifest safely: a strict JSON parse (ospolicy/json.h), then a schema
 * validation that reports every problem it can find, each with a status, the
 * field path (`env[3].name`), a byte offset and a 1-based line:column. The
 * format, its limits and every rejection are specified in docs/manifest.md.
 *
 * Memory rules: no allocation and no state. The caller hands in the text and
 * one workspace of OSPolicy_GetManifestWorkspaceSize(size) bytes (any
 * alignment). The result is a caller-owned struct, status first, written
 * completely on every call. Its parsed view (`manifest`) points into the
 * workspace (decoded, NUL-terminated strings and entry arrays), so it is valid
 * only while the workspace is; it is all zero unless status is OSPOLICY_OK,
 * so a rejected manifest can never be half-used.
 *
 * Order of checks: NULL_ARGUMENT; INVALID_ARGUMENT (max_size above
 * OSPOLICY_MANIFEST_MAX_SIZE_CEILING); MANIFEST_OVERSIZED (size above the
 * limit: checked before any byte is read, so a huge input costs nothing);
 * BUFFER_TOO_SMALL (workspace_required written back; a workspace_size of 0
 * asks for the size); MANIFEST_MALFORMED (one finding, the JSON problem and
 * its position, with the OSPOLICY_ERR_JSON_* status as `detail`);
 * MANIFEST_WRONG_TYPE if the top level is not an object;
 * MANIFEST_UNKNOWN_VERSION (one finding: nothing else can be interpreted);
 * then every schema finding. The result status is the status of the first
 * finding in document order.
 */
#ifndef OSPOLICY_MANIFEST_H
#define OSPOLICY_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "ospolicy/status.h"

#define OSPOLICY_MANIFEST_VERSION 1u                      /* the only version this build reads */
#define OSPOLICY_MANIFEST_DEFAULT_MAX_SIZE ((size_t)65536)  /* 64 KiB */
#define OSPOLICY_MANIFEST_MAX_SIZE_CEILING ((size_t)16777216) /* 16 MiB: largest settable limit */
#define OSPOLICY_MANIFEST_MAX_DEPTH 16u    /* JSON nesting (the schema needs 4) */
#define OSPOLICY_MANIFEST_MAX_STRING 4096u /* decoded bytes in any string */

#define OSPOLICY_MANIFEST_MAX_NAME 64u       /* bytes in `name` */
#define OSPOLICY_MANIFEST_MAX_PATH 1024u     /* bytes in a path */
#define OSPOLICY_MANIFEST_MAX_SEGMENT 255u   /* bytes in one path segment */
#define OSPOLICY_MANIFEST_MAX_ENV_NAME 128u  /* bytes in an env name */
#define OSPOLICY_MANIFEST_MAX_ENV_VALUE 4096u
#define OSPOLICY_MANIFEST_MAX_MAC_LABEL 255u
#define OSPOLICY_MANIFEST_MAX_SYSCALL_NAME 64u

#define OSPOLICY_MANIFEST_MAX_ENV 4096u
#define OSPOLICY_MANIFEST_MAX_FILES 256u
#define OSPOLICY_MANIFEST_MAX_LISTEN 64u
#define OSPOLICY_MANIFEST_MAX_CAPABILITIES 64u
#define OSPOLICY_MANIFEST_MAX_SYSCALLS 512u

#define OSPOLICY_MANIFEST_MIN_MEMORY_BYTES ((uint64_t)1 << 20) /* 1 MiB */
#define OSPOLICY_MANIFEST_MAX_MEMORY_BYTES ((uint64_t)1 << 40) /* 1 TiB */
#define OSPOLICY_MANIFEST_MAX_OPEN_FILES 1048576u
#define OSPOLICY_MANIFEST_MAX_PROCESSES 65536u
#define OSPOLICY_MANIFEST_MAX_TOKEN_TTL 21600u /* seconds, the IMDSv2 maximum */
#define OSPOLICY_MANIFEST_MAX_METADATA_PATHS 32u     /* cloudMetadata.paths entries */
#define OSPOLICY_MANIFEST_MAX_METADATA_PATH 255u     /* bytes in one granted path */
#define OSPOLICY_MANIFEST_MAX_METADATA_ROLE 64u      /* bytes in credentials.role */

#define OSPOLICY_MANIFEST_MAX_FINDINGS 32u
#define OSPOLICY_MANIFEST_FIELD_PATH_MAX 96u /* bytes, NUL included */

/* Linux capability numbers; a manifest names them "CAP_NET_BIND_SERVICE". */
#define OSPOLICY_CAPABILITY_COUNT 41u

typedef enum OSPolicy_FileAccess {
  OSPOLICY_FILE_ACCESS_UNSET = 0,
  OSPOLICY_FILE_ACCESS_READ_ONLY = 1, /* "ro" */
  OSPOLICY_FILE_ACCESS_READ_WRITE = 2 /* "rw" */
} OSPolicy_FileAccess;

typedef enum OSPolicy_NetProtocol {
  OSPOLICY_NET_PROTOCOL_UNSET = 0,
  OSPOLICY_NET_PROTOCOL_TCP = 1,
  OSPOLICY_NET_PROTOCOL_UDP = 2
} OSPolicy_NetProtocol;

typedef enum OSPolicy_MetadataAccess {
  OSPOLICY_METADATA_ACCESS_UNSET = 0,
  OSPOLICY_METADATA_ACCESS_NONE = 1,      /* "none" (also when cloudMetadata is absent) */
  OSPOLICY_METADATA_ACCESS_SUPERVISED = 2 /* "supervised": only through the app's supervisor
                                             (docs/imds.md), IMDSv2 session tokens only */
} OSPolicy_MetadataAccess;

/* A decoded string: never contains NUL, and data[length] == '\0'. */
typedef struct OSPolicy_ManifestString {
  const char *data;
  size_t length;
  uint32_t offset; /* byte offset of the JSON string in the manifest text */
} OSPolicy_ManifestString;

typedef struct OSPolicy_ManifestEnv {
  OSPolicy_ManifestString name;
  OSPolicy_ManifestString value;
} OSPolicy_ManifestEnv;

typedef struct OSPolicy_ManifestFile {
  OSPolicy_ManifestString path;
  OSPolicy_FileAccess access;
} OSPolicy_ManifestFile;

typedef struct OSPolicy_ManifestListen {
  uint16_t port;
  OSPolicy_NetProtocol protocol;
} OSPolicy_ManifestListen;

/* The parsed view of a valid manifest. Absent optional fields are 0/NULL. */
typedef struct OSPolicy_Manifest {
  uint32_t version;
  OSPolicy_ManifestString name;
  OSPolicy_ManifestString entry;
  OSPolicy_ManifestString mac_label; /* length 0: no label requested */
  const OSPolicy_ManifestEnv *env;
  size_t env_count;
  const OSPolicy_ManifestFile *files;
  size_t file_count;
  const OSPolicy_ManifestListen *listen;
  size_t listen_count;
  uint64_t capabilities; /* bit n: Linux capability n */
  size_t capability_count;
  const OSPolicy_ManifestString *syscalls;
  size_t syscall_count;
  uint64_t memory_bytes; /* 0: no limit requested */
  uint32_t open_files;   /* 0: no limit requested */
  uint32_t processes;    /* 0: no limit requested */
  OSPolicy_MetadataAccess metadata_access; /* NONE when cloudMetadata is absent */
  uint32_t metadata_token_ttl;             /* supervised only: longest app token; default 21600 */
  /* supervised only: granted metadata paths, as written ("/latest/meta-data/instance-id";
   * a trailing '/' grants everything below it). */
  OSPolicy_ManifestString metadata_paths[OSPOLICY_MANIFEST_MAX_METADATA_PATHS];
  size_t metadata_path_count;
  OSPolicy_ManifestString metadata_role; /* length 0: role credentials are not granted */
} OSPolicy_Manifest;

typedef struct OSPolicy_ManifestFinding {
  OSPolicy_Status status; /* an OSPOLICY_ERR_MANIFEST_* or OSPOLICY_DENIED_MANIFEST_* */
  OSPolicy_Status detail; /* MALFORMED: the OSPOLICY_ERR_JSON_*; otherwise == status */
  uint32_t line;          /* 1-based */
  uint32_t column;        /* 1-based, in bytes */
  size_t offset;          /* byte offset in the text */
  char path[OSPOLICY_MANIFEST_FIELD_PATH_MAX]; /* "files[0].path"; "" for the document */
  const char *message;                         /* static, never NULL */
} OSPolicy_ManifestFinding;

typedef struct OSPolicy_ManifestRequest {
  const char *text;      /* need not be NUL-terminated; never written */
  size_t size;           /* bytes of text */
  size_t max_size;       /* 0: OSPOLICY_MANIFEST_DEFAULT_MAX_SIZE */
  void *workspace;       /* any alignment; see OSPolicy_GetManifestWorkspaceSize */
  size_t workspace_size; /* 0 with workspace NULL: ask for workspace_required */
} OSPolicy_ManifestRequest;

typedef struct OSPolicy_ManifestResult {
  OSPolicy_Status status;
  size_t workspace_required; /* always written once size is known to be in range */
  size_t finding_count;      /* findings stored, at most OSPOLICY_MANIFEST_MAX_FINDINGS */
  size_t findings_total;     /* findings found (more may have been found than stored) */
  /* By offset. With more findings than room, the stored ones are the earliest
   * in the document (whatever order they were found in), so findings[0] is
   * always the first finding and its status the result's. */
  OSPolicy_ManifestFinding findings[OSPOLICY_MANIFEST_MAX_FINDINGS];
  OSPolicy_Manifest manifest; /* all zero unless status is OSPOLICY_OK */
} OSPolicy_ManifestResult;

#ifdef __cplusplus
extern "C" {
#endif

/* Workspace bytes needed to validate a text of `size` bytes (worst case,
 * alignment slack included). OVERFLOW if size exceeds the size ceiling. */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_GetManifestWorkspaceSize(size_t size,
                                                                      size_t *required);

/* Parses and validates one manifest; see the order of checks above. Returns
 * result->status (result NULL: NULL_ARGUMENT, nothing written). */
OSPOLICY_MUST_CHECK OSPolicy_Status OSPolicy_ValidateManifest(
    const OSPolicy_ManifestRequest *request, OSPolicy_ManifestResult *result);

/* "CAP_NET_BIND_SERVICE" for 10; NULL for a number this build does not know. */
const char *OSPolicy_CapabilityName(uint32_t capability);

/* Manifest names for the enums ("ro", "tcp", "supervised"); never NULL. */
const char *OSPolicy_FileAccessName(OSPolicy_FileAccess access);
const char *OSPolicy_NetProtocolName(OSPolicy_NetProtocol protocol);
const char *OSPolicy_MetadataAccessName(OSPolicy_MetadataAccess access);

#ifdef __cplusplus
}
#endif

#endif /* OSPOLICY_MANIFEST_H */
