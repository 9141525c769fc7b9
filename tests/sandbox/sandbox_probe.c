/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ospolicy authors */
/*
 * The confined test app for `ospolicy run` (tests/sandbox/run_test.sh): a
 * static binary that attempts one action named on its command line and
 * prints one line `ACTION: RESULT` (`ok`, a number, or the errno name), so a
 * test sees exactly what the kernel allowed. Actions that the sandbox should
 * kill (socket, x32, int80) never print.
 *   exit N | socket | x32 | int80 | getpid | write PATH | read PATH | exists PATH
 *   bind PORT | bind-udp PORT | connect PORT | connect-mptcp PORT | connect-sctp PORT
 *     | tfo-sendto PORT | tfo-sendmsg PORT | socket-inet TYPE PROTOCOL
 *     | uring-mptcp PORT (an MPTCP socket made by io_uring's IORING_OP_SOCKET, then connect(2)) | connect-unix PATH | wx | caps | dac | env | nofile N | fork N | alloc BYTES
 *   kill PID | ptrace PID | exec PATH ARGS... | ids | session | child-socket | thread-socket | sleep SECONDS | loop-getppid N
 *   imds-get PATH: through /run/ospolicy/imds.sock (raw HTTP/1.1, one request per
 *     connection): PUT a token (TTL 60), then GET PATH with it; prints
 *     `imds-get: STATUS BODY` (the body's first line) or the errno name
 *   imds-repeat PATH: imds-get PATH once per line read from standard input
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/io_uring.h>

extern char **environ;

static int report(const char *action, int rc) {
  if (rc == 0) {
    printf("%s: ok\n", action);
  } else {
    printf("%s: %s\n", action, strerrorname_np(rc) != NULL ? strerrorname_np(rc) : "?");
  }
  fflush(stdout);
  return 0;
}

static long raw_syscall(long number) {
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(number) : "rcx", "r11", "memory");
  return ret;
}

static int do_bind(const char *port, int type) {
  int s = socket(AF_INET, type, 0);
  if (s < 0) {
    return report("bind", errno);
  }
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port)),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int rc = bind(s, (struct sockaddr *)&a, sizeof a) == 0 ? 0 : errno;
  close(s);
  return report("bind", rc);
}

static int do_connect(const char *port, int protocol) {
  int s = socket(AF_INET, SOCK_STREAM, protocol);
  if (s < 0) {
    return report("connect", errno);
  }
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port)),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  int rc = connect(s, (struct sockaddr *)&a, sizeof a) == 0 ? 0 : errno;
  close(s);
  return report("connect", rc);
}

/* TCP Fast Open: connect and send in one call, without connect(2). Prints
 * the call's result (the listener is what shows whether a connection was
 * made). */
static int do_tfo(const char *port, int use_sendmsg) {
  const char *name = use_sendmsg ? "tfo-sendmsg" : "tfo-sendto";
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) {
    return report(name, errno);
  }
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port)),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  char data[] = "tfo";
  ssize_t n;
  if (use_sendmsg) {
    struct iovec v = {.iov_base = data, .iov_len = 3};
    struct msghdr m = {.msg_name = &a, .msg_namelen = sizeof a, .msg_iov = &v, .msg_iovlen = 1};
    n = sendmsg(s, &m, MSG_FASTOPEN);
  } else {
    n = sendto(s, data, 3, MSG_FASTOPEN, (struct sockaddr *)&a, sizeof a);
  }
  int rc = n >= 0 ? 0 : errno;
  close(s);
  return report(name, rc);
}

/* io_uring's IORING_OP_SOCKET makes a socket without the socket syscall:
 * one submission, raw syscalls (no liburing in a static probe). */
static int do_uring_mptcp(const char *port) {
  struct io_uring_params params;
  memset(&params, 0, sizeof params);
  int ring = (int)syscall(SYS_io_uring_setup, 1, &params);
  if (ring < 0) {
    return report("uring-mptcp", errno);
  }
  size_t sq_size = params.sq_off.array + params.sq_entries * sizeof(unsigned);
  size_t cq_size = params.cq_off.cqes + params.cq_entries * sizeof(struct io_uring_cqe);
  void *sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED, ring, IORING_OFF_SQ_RING);
  void *cq = mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED, ring, IORING_OFF_CQ_RING);
  struct io_uring_sqe *sqes = mmap(NULL, params.sq_entries * sizeof(struct io_uring_sqe),
                                   PROT_READ | PROT_WRITE, MAP_SHARED, ring, IORING_OFF_SQES);
  if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED) {
    return report("uring-mptcp", errno);
  }
  memset(&sqes[0], 0, sizeof sqes[0]);
  sqes[0].opcode = IORING_OP_SOCKET;
  sqes[0].fd = AF_INET;
  sqes[0].off = SOCK_STREAM;
  sqes[0].len = 262; /* IPPROTO_MPTCP */
  unsigned *tail = (unsigned *)((char *)sq + params.sq_off.tail);
  unsigned *array = (unsigned *)((char *)sq + params.sq_off.array);
  array[*tail & *(unsigned *)((char *)sq + params.sq_off.ring_mask)] = 0;
  __atomic_store_n(tail, *tail + 1u, __ATOMIC_RELEASE);
  if (syscall(SYS_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0) {
    return report("uring-mptcp", errno);
  }
  unsigned head = *(unsigned *)((char *)cq + params.cq_off.head);
  struct io_uring_cqe *cqes = (struct io_uring_cqe *)((char *)cq + params.cq_off.cqes);
  int s = cqes[head & *(unsigned *)((char *)cq + params.cq_off.ring_mask)].res;
  if (s < 0) {
    return report("uring-mptcp", -s);
  }
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port)),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  int rc = connect(s, (struct sockaddr *)&a, sizeof a) == 0 ? 0 : errno;
  close(s);
  close(ring);
  return report("uring-mptcp", rc);
}

/* One HTTP/1.1 exchange over the metadata socket: the status, and the body's
 * first line in `body`; -errno when the socket cannot be used. */
static int imds_exchange(const char *request, char *body, size_t body_size) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  if (s < 0) {
    return -errno;
  }
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  snprintf(a.sun_path, sizeof a.sun_path, "/run/ospolicy/imds.sock");
  size_t length = strlen(request);
  if (connect(s, (struct sockaddr *)&a, sizeof a) != 0 || write(s, request, length) != (ssize_t)length) {
    int err = errno;
    close(s);
    return -err;
  }
  static char answer[16384];
  size_t got = 0;
  ssize_t n;
  while (got < sizeof answer - 1u && (n = read(s, answer + got, sizeof answer - 1u - got)) > 0) {
    got += (size_t)n;
  }
  close(s);
  answer[got] = '\0';
  int status = 0;
  if (sscanf(answer, "HTTP/1.1 %d", &status) != 1) {
    return -EPROTO;
  }
  char *start = strstr(answer, "\r\n\r\n");
  start = start != NULL ? start + 4 : answer + got;
  size_t line = strcspn(start, "\r\n");
  snprintf(body, body_size, "%.*s", (int)line, start);
  return status;
}

static int do_imds_get(const char *path) {
  char token[256];
  char body[512];
  char request[1024];
  int status = imds_exchange("PUT /latest/api/token HTTP/1.1\r\nHost: 169.254.169.254\r\n"
                             "X-aws-ec2-metadata-token-ttl-seconds: 60\r\n\r\n",
                             token, sizeof token);
  if (status < 0) {
    return report("imds-get", -status);
  }
  if (status != 200) {
    printf("imds-get: token %d %s\n", status, token);
    fflush(stdout);
    return 0;
  }
  snprintf(request, sizeof request,
           "GET %s HTTP/1.1\r\nHost: 169.254.169.254\r\nX-aws-ec2-metadata-token: %s\r\n\r\n",
           path, token);
  status = imds_exchange(request, body, sizeof body);
  if (status < 0) {
    return report("imds-get", -status);
  }
  printf("imds-get: %d %s\n", status, body);
  fflush(stdout);
  return 0;
}

/* imds-get PATH once per line read from standard input, until its end. */
static int do_imds_repeat(const char *path) {
  char line[64];
  while (fgets(line, sizeof line, stdin) != NULL) {
    do_imds_get(path);
  }
  return 0;
}

static int do_connect_unix(const char *path) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  if (s < 0) {
    return report("connect-unix", errno);
  }
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
  int rc = connect(s, (struct sockaddr *)&a, sizeof a) == 0 ? 0 : errno;
  if (rc == 0) {
    rc = write(s, "hi", 2) == 2 ? 0 : errno;
  }
  close(s);
  return report("connect-unix", rc);
}

static void *socket_thread(void *arg) {
  (void)arg;
  socket(AF_INET, SOCK_STREAM, 0);
  return NULL;
}

/* A second thread makes the denied call while the main thread waits. */
static int thread_socket(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, socket_thread, NULL) != 0) {
    return report("thread-socket", EAGAIN);
  }
  pthread_join(t, NULL);
  return report("thread-socket", 0);
}

static int do_wx(void) {
  char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    return report("wx-map", errno);
  }
  p[0] = (char)0xC3;
  report("wx-rwx", mprotect(p, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) == 0 ? 0 : errno);
  report("wx-rx", mprotect(p, 4096, PROT_READ | PROT_EXEC) == 0 ? 0 : errno);
  void *q = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return report("wx-mmap-rwx", q != MAP_FAILED ? 0 : errno);
}

static int do_caps(void) {
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2];
  memset(d, 0, sizeof d);
  if (syscall(SYS_capget, &h, d) != 0) {
    return report("caps", errno);
  }
  unsigned long long eff = d[0].effective | (unsigned long long)d[1].effective << 32;
  unsigned long long prm = d[0].permitted | (unsigned long long)d[1].permitted << 32;
  printf("caps: effective=%llx permitted=%llx\n", eff, prm);
  return 0;
}

static int do_dac(void) {
  int fd = open("/tmp/secret", O_CREAT | O_WRONLY | O_TRUNC, 0000);
  if (fd < 0) {
    return report("dac-create", errno);
  }
  close(fd);
  fd = open("/tmp/secret", O_RDONLY);
  int rc = fd >= 0 ? 0 : errno;
  if (fd >= 0) {
    close(fd);
  }
  return report("dac", rc);
}

static int do_nofile(const char *count) {
  int n = atoi(count), opened = 0, rc = 0;
  for (int i = 0; i < n; i++) {
    int fd = open("/app", O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
      rc = errno;
      break;
    }
    opened++;
  }
  printf("nofile: opened %d, then %s\n", opened, rc != 0 ? strerrorname_np(rc) : "none");
  return 0;
}

static int do_fork(const char *count) {
  int n = atoi(count), made = 0, rc = 0;
  int gate[2];
  if (pipe(gate) != 0) {
    return report("fork", errno);
  }
  pid_t kids[256];
  for (int i = 0; i < n && i < 256; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      char b;
      close(gate[1]);
      ssize_t got = read(gate[0], &b, 1);
      _exit(got < 0 ? 1 : 0);
    }
    if (pid < 0) {
      rc = errno;
      break;
    }
    kids[made++] = pid;
  }
  close(gate[1]);
  for (int i = 0; i < made; i++) {
    waitpid(kids[i], NULL, 0);
  }
  printf("fork: made %d, then %s\n", made, rc != 0 ? strerrorname_np(rc) : "none");
  return 0;
}

static int do_alloc(const char *bytes) {
  size_t n = (size_t)strtoull(bytes, NULL, 10);
  void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return report("alloc", p != MAP_FAILED ? 0 : errno);
}

static int do_loop(const char *count) {
  long n = atol(count);
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; i++) {
    raw_syscall(SYS_getppid);
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
  printf("loop-getppid: %.2f ns/call\n", ns / (double)n);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: sandbox_probe ACTION [ARG]\n");
    return 2;
  }
  const char *a = argv[1];
  const char *arg = argc > 2 ? argv[2] : "";
  if (strcmp(a, "exit") == 0) {
    return atoi(arg);
  }
  if (strcmp(a, "socket") == 0) {
    return report("socket", socket(AF_INET, SOCK_STREAM, 0) >= 0 ? 0 : errno);
  }
  if (strcmp(a, "getpid") == 0) {
    printf("getpid: %ld\n", raw_syscall(SYS_getpid));
    return 0;
  }
  if (strcmp(a, "x32") == 0) {
    long r = raw_syscall(0x40000000L | SYS_getpid);
    printf("x32: returned %ld\n", r);
    return 0;
  }
  if (strcmp(a, "int80") == 0) {
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory"); /* i386 getpid */
    printf("int80: returned %ld\n", r);
    return 0;
  }
  if (strcmp(a, "write") == 0) {
    int fd = open(arg, O_WRONLY | O_APPEND);
    int rc = fd < 0 ? errno : 0;
    if (fd >= 0) {
      rc = write(fd, "CHANGED\n", 8) == 8 ? 0 : errno;
      close(fd);
    }
    return report("write", rc);
  }
  if (strcmp(a, "create") == 0) {
    int fd = open(arg, O_WRONLY | O_CREAT | O_EXCL, 0600);
    int rc = fd < 0 ? errno : 0;
    if (fd >= 0) {
      rc = write(fd, "new\n", 4) == 4 ? 0 : errno;
      close(fd);
    }
    return report("create", rc);
  }
  if (strcmp(a, "read") == 0) {
    int fd = open(arg, O_RDONLY);
    char buf[256];
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (n >= 0) {
      buf[n] = '\0';
      printf("read: %s", buf);
      return 0;
    }
    return report("read", errno);
  }
  if (strcmp(a, "exists") == 0) {
    struct stat st;
    return report("exists", stat(arg, &st) == 0 ? 0 : errno);
  }
  if (strcmp(a, "bind") == 0) {
    return do_bind(arg, SOCK_STREAM);
  }
  if (strcmp(a, "bind-udp") == 0) {
    return do_bind(arg, SOCK_DGRAM);
  }
  if (strcmp(a, "imds-get") == 0) {
    return do_imds_get(arg);
  }
  if (strcmp(a, "imds-repeat") == 0) {
    return do_imds_repeat(arg);
  }
  if (strcmp(a, "connect-unix") == 0) {
    return do_connect_unix(arg);
  }
  if (strcmp(a, "connect") == 0) {
    return do_connect(arg, 0);
  }
  if (strcmp(a, "connect-mptcp") == 0) { /* IPPROTO_MPTCP: not TCP to Landlock */
    return do_connect(arg, 262);
  }
  if (strcmp(a, "connect-sctp") == 0) { /* IPPROTO_SCTP, SOCK_STREAM */
    return do_connect(arg, 132);
  }
  if (strcmp(a, "socket-inet") == 0 && argc >= 4) { /* socket(AF_INET, TYPE, PROTOCOL) */
    int s = socket(AF_INET, atoi(argv[2]), atoi(argv[3]));
    int rc = s >= 0 ? 0 : errno;
    if (s >= 0) {
      close(s);
    }
    return report("socket-inet", rc);
  }
  if (strcmp(a, "uring-mptcp") == 0) {
    return do_uring_mptcp(arg);
  }
  if (strcmp(a, "tfo-sendto") == 0) {
    return do_tfo(arg, 0);
  }
  if (strcmp(a, "tfo-sendmsg") == 0) {
    return do_tfo(arg, 1);
  }
  if (strcmp(a, "wx") == 0) {
    return do_wx();
  }
  if (strcmp(a, "caps") == 0) {
    return do_caps();
  }
  if (strcmp(a, "dac") == 0) {
    return do_dac();
  }
  if (strcmp(a, "env") == 0) {
    for (char **e = environ; *e != NULL; e++) {
      printf("env: %s\n", *e);
    }
    printf("env: end\n");
    return 0;
  }
  if (strcmp(a, "nofile") == 0) {
    return do_nofile(arg);
  }
  if (strcmp(a, "fork") == 0) {
    return do_fork(arg);
  }
  if (strcmp(a, "alloc") == 0) {
    return do_alloc(arg);
  }
  if (strcmp(a, "kill") == 0) {
    return report("kill", kill((pid_t)atoi(arg), SIGTERM) == 0 ? 0 : errno);
  }
  if (strcmp(a, "ptrace") == 0) {
    return report("ptrace", ptrace(PTRACE_ATTACH, (pid_t)atoi(arg), NULL, NULL) == 0 ? 0 : errno);
  }
  if (strcmp(a, "ids") == 0) {
    printf("ids: uid=%d euid=%d gid=%d egid=%d\n", (int)getuid(), (int)geteuid(), (int)getgid(),
           (int)getegid());
    return do_caps();
  }
  if (strcmp(a, "exec") == 0 && argc > 2) {
    execv(argv[2], argv + 2);
    return report("exec", errno);
  }
  if (strcmp(a, "child-socket") == 0) {
    /* A child makes the denied call; the parent reports how the child ended. */
    pid_t pid = fork();
    if (pid == 0) {
      socket(AF_INET, SOCK_STREAM, 0);
      _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    printf("child-socket: child %s %d\n", WIFSIGNALED(status) ? "signal" : "exit",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    return 0;
  }
  if (strcmp(a, "thread-socket") == 0) {
    return thread_socket();
  }
  if (strcmp(a, "session") == 0) {
    pid_t tty_session = 0; /* stdin's terminal, if it is this process's controlling one */
    int tty = ioctl(0, TIOCGSID, &tty_session);
    printf("session: %s, controlling terminal %s\n", getsid(0) == getpid() ? "leader" : "member",
           tty == 0 ? "yes" : "none");
    return 0;
  }
  if (strcmp(a, "sleep") == 0) {
    printf("sleep: started\n");
    fflush(stdout);
    struct timespec t = {atoi(arg), 0};
    while (nanosleep(&t, &t) != 0) {
    }
    return 0;
  }
  if (strcmp(a, "loop-getppid") == 0) {
    return do_loop(arg);
  }
  fprintf(stderr, "sandbox_probe: unknown action %s\n", a);
  return 2;
}
