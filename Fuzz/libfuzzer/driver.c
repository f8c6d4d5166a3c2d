// libFuzzer driver for a SharpFuzz target: libFuzzer owns the loop (mutation, corpus, -merge,
// -minimize_crash, -dict, -fork), and every input is executed by a long-lived .NET process
// that speaks SharpFuzz's libFuzzer protocol:
//   - one SysV shared-memory segment: the 64 KiB coverage map, then the input bytes;
//   - the child gets a control pipe (fd 198) and a status pipe (fd 199), and the variables
//     __LIBFUZZER_SHM_ID, __LIBFUZZER_CONTROL_PIPE_ID, __LIBFUZZER_STATUS_PIPE_ID;
//   - the child says hello with a 4-byte status; per input the driver writes the length as
//     4 bytes, the child runs it and answers with a 4-byte status (non-zero: an exception).
// The map is handed to libFuzzer as extra counters, so managed edges guide the search.
//
// Build:  clang -O2 -fsanitize=fuzzer driver.c -o libfuzzer-dotnet
// Run:    HARNESS_FUZZ_DLL=.../Harness.Fuzz.dll HARNESS_FUZZ_ARGS="ops" ./libfuzzer-dotnet [libFuzzer flags] CORPUS...
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAP_SIZE (1 << 16)
#define MAX_INPUT (1 << 20)
#define CONTROL_FD 198
#define STATUS_FD 199
#define MAX_ARGS 16

__attribute__((used, section("__libfuzzer_extra_counters")))
static uint8_t extra_counters[MAP_SIZE];

static uint8_t *shared;
static int shm_id = -1;
static int control = -1;
static int status = -1;
static pid_t child;

static void die(const char *what)
{
    fprintf(stderr, "libfuzzer-dotnet: %s: %s\n", what, errno ? strerror(errno) : "failed");
    exit(1);
}

static void remove_segment(void)
{
    if (shm_id >= 0)
        shmctl(shm_id, IPC_RMID, NULL);
}

static int transfer(int fd, void *buffer, size_t size, int writing)
{
    uint8_t *at = buffer;
    while (size > 0) {
        ssize_t n = writing ? write(fd, at, size) : read(fd, at, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        at += n;
        size -= (size_t)n;
    }
    return 0;
}

// Splits HARNESS_FUZZ_ARGS on spaces into argv after "dotnet DLL".
static void start_child(void)
{
    const char *dll = getenv("HARNESS_FUZZ_DLL");
    const char *args = getenv("HARNESS_FUZZ_ARGS");
    if (!dll || !args) {
        fprintf(stderr, "libfuzzer-dotnet: set HARNESS_FUZZ_DLL (the fuzz assembly) and HARNESS_FUZZ_ARGS (target and options)\n");
        exit(1);
    }

    shm_id = shmget(IPC_PRIVATE, MAP_SIZE + MAX_INPUT, IPC_CREAT | IPC_EXCL | 0600);
    if (shm_id < 0)
        die("shmget");
    atexit(remove_segment);
    shared = shmat(shm_id, NULL, 0);
    if (shared == (void *)-1)
        die("shmat");

    int control_pipe[2], status_pipe[2];
    if (pipe(control_pipe) || pipe(status_pipe))
        die("pipe");

    pid_t parent = getpid();
    child = fork();
    if (child < 0)
        die("fork");
    if (child == 0) {
        // The child must not outlive a driver killed by a timeout or by the user.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(1);
        if (dup2(control_pipe[0], CONTROL_FD) < 0 || dup2(status_pipe[1], STATUS_FD) < 0)
            _exit(1);
        close(control_pipe[0]); close(control_pipe[1]);
        close(status_pipe[0]); close(status_pipe[1]);

        char id[16];
        snprintf(id, sizeof id, "%d", shm_id);
        setenv("__LIBFUZZER_SHM_ID", id, 1);
        setenv("__LIBFUZZER_CONTROL_PIPE_ID", "198", 1);
        setenv("__LIBFUZZER_STATUS_PIPE_ID", "199", 1);

        static char words[4096];
        snprintf(words, sizeof words, "%s", args);
        char *argv[MAX_ARGS + 3] = { "dotnet", (char *)dll };
        int argc = 2;
        for (char *word = strtok(words, " "); word && argc < MAX_ARGS + 2; word = strtok(NULL, " "))
            argv[argc++] = word;
        argv[argc] = NULL;
        execvp("dotnet", argv);
        _exit(127);
    }

    close(control_pipe[0]);
    close(status_pipe[1]);
    control = control_pipe[1];
    status = status_pipe[0];
    signal(SIGPIPE, SIG_IGN);

    int32_t hello;
    if (transfer(status, &hello, sizeof hello, 0))
        die("the .NET target did not start (see its output above)");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    if (child == 0)
        start_child();

    memset(shared, 0, MAP_SIZE);
    memcpy(shared + MAP_SIZE, data, size);
    int32_t length = (int32_t)size;
    int32_t result;
    if (transfer(control, &length, sizeof length, 1) || transfer(status, &result, sizeof result, 0)) {
        fprintf(stderr, "libfuzzer-dotnet: the .NET target died on this input\n");
        abort();
    }

    memcpy(extra_counters, shared, MAP_SIZE);
    if (result != 0) {
        fprintf(stderr, "libfuzzer-dotnet: the .NET target threw (its exception is above)\n");
        abort();
    }
    return 0;
}
