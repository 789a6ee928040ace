// The system calls and macros Swift's Glibc module does not export.
// No _GNU_SOURCE here (it makes the header clash with SwiftGlibc on clean builds):
// GNU-only calls are wrapped in shim.c, which defines it for itself.
#ifndef ONEAPP_CSYSTEM_H
#define ONEAPP_CSYSTEM_H

#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/un.h>
#include <sys/uio.h>
#include <sys/resource.h>
#include <spawn.h>
#include <signal.h>

int csystem_accept4(int fd, int flags);
int csystem_pipe2(int fds[2], int flags);
int csystem_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);
int csystem_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid);
int csystem_pidfd_open(pid_t pid);
pid_t csystem_fork(void);
int csystem_set_child_subreaper(void);
struct cmsghdr *csystem_cmsg_nexthdr(struct msghdr *m, struct cmsghdr *c);

static inline int csystem_set_parent_death_signal(int sig) { return prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0); }
static inline int csystem_set_process_name(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }

static inline int csystem_wifexited(int status) { return WIFEXITED(status); }
static inline int csystem_wexitstatus(int status) { return WEXITSTATUS(status); }
static inline int csystem_wifsignaled(int status) { return WIFSIGNALED(status); }
static inline int csystem_wtermsig(int status) { return WTERMSIG(status); }

static inline struct cmsghdr *csystem_cmsg_firsthdr(struct msghdr *m) { return CMSG_FIRSTHDR(m); }
static inline unsigned char *csystem_cmsg_data(struct cmsghdr *c) { return CMSG_DATA(c); }
static inline size_t csystem_cmsg_space(size_t n) { return CMSG_SPACE(n); }
static inline size_t csystem_cmsg_len(size_t n) { return CMSG_LEN(n); }

#endif
