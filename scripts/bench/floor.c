/* The cold-start floor: what it costs this machine to spawn a child that answers, done the way the
 * supervisor starts a worker (posix_spawn of its own executable, a socketpair as fd 3, one line
 * in, one answer out). `floor N` prints N spawn-to-answer times in microseconds, one per line;
 * `floor child` is the child. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int child(void) {
    char request[256];
    ssize_t n = read(3, request, sizeof request);
    if (n <= 0) return 1;
    const char answer[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[]}}\n";
    return write(3, answer, sizeof answer - 1) == (ssize_t)(sizeof answer - 1) ? 0 : 1;
}

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* Returns the microseconds from spawn to answer (the child's exit is not waited for in it), or -1. */
static double spawn_and_ask(const char *self) {
    double start = now_us();
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return -1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pair[1], 3);
    char *argv[] = {(char *)self, "child", NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, self, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pair[1]);
    if (rc != 0) return -1;
    const char request[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}\n";
    char answer[256];
    int ok = write(pair[0], request, sizeof request - 1) == (ssize_t)(sizeof request - 1) && read(pair[0], answer, sizeof answer) > 0;
    double elapsed = now_us() - start;
    close(pair[0]);
    int status;
    waitpid(pid, &status, 0);
    return ok && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? elapsed : -1;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "child") == 0) return child();
    if (argc != 2) return 2;
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return 1;
    self[n] = 0;
    for (int i = atoi(argv[1]); i > 0; i--) {
        double elapsed = spawn_and_ask(self);
        if (elapsed < 0) return 1;
        printf("%.0f\n", elapsed);
    }
    return 0;
}
