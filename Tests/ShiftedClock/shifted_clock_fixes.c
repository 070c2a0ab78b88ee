// Preloaded before libfaketime for the shifted-clock test runs (deploy/local/shifted-clock-test.sh),
// never in production. It mends two places where libfaketime 0.9.10 (Debian 12) and a shifted wall
// clock make a process wait for days or years instead of milliseconds:
//
// 1. librdkafka waits with C11 `cnd_timedwait`, its deadline computed from the shifted wall clock.
//    glibc's `cnd_timedwait` calls its internal condition wait directly, past libfaketime's
//    `pthread_cond_timedwait` wrapper, so the kernel gets a deadline far away and every librdkafka
//    poll with a timeout blocks until something signals it. Here `cnd_timedwait` goes through the
//    public `pthread_cond_timedwait`, which libfaketime translates back to the real clock (glibc's
//    `cnd_t` and `mtx_t` are its pthread types).
// 2. libdispatch, under Swift's `Task.sleep` and every timer, arms timerfds with absolute deadlines on
//    CLOCK_MONOTONIC and CLOCK_BOOTTIME. libfaketime's `timerfd_settime` shifts those deadlines even
//    when the monotonic clocks are left alone (FAKETIME_DONT_FAKE_MONOTONIC=1), so no sleep ever ends.
//    Here timerfds on the monotonic clocks go straight to the kernel; wall-clock ones still go
//    through libfaketime.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

int cnd_timedwait(cnd_t *restrict cond, mtx_t *restrict mutex, const struct timespec *restrict deadline) {
    switch (pthread_cond_timedwait((pthread_cond_t *)cond, (pthread_mutex_t *)mutex, deadline)) {
    case 0: return thrd_success;
    case ETIMEDOUT: return thrd_timedout;
    case ENOMEM: return thrd_nomem;
    default: return thrd_error;
    }
}

// Which timerfds count wall-clock time (file descriptors below 65536; others are left to libfaketime).
enum { tracked = 65536 };
static _Atomic bool wall_clock_fd[tracked];

int timerfd_create(int clockid, int flags) {
    int fd = (int)syscall(SYS_timerfd_create, clockid, flags);
    if (fd >= 0 && fd < tracked) {
        wall_clock_fd[fd] = clockid == CLOCK_REALTIME || clockid == CLOCK_REALTIME_ALARM;
    }
    return fd;
}

static bool shifted(int fd) { return fd < 0 || fd >= tracked || wall_clock_fd[fd]; }

int timerfd_settime(int fd, int flags, const struct itimerspec *new_value, struct itimerspec *old_value) {
    if (shifted(fd)) {
        int (*next)(int, int, const struct itimerspec *, struct itimerspec *) = dlsym(RTLD_NEXT, "timerfd_settime");
        return next(fd, flags, new_value, old_value);
    }
    return (int)syscall(SYS_timerfd_settime, fd, flags, new_value, old_value);
}

int timerfd_gettime(int fd, struct itimerspec *current) {
    if (shifted(fd)) {
        int (*next)(int, struct itimerspec *) = dlsym(RTLD_NEXT, "timerfd_gettime");
        return next(fd, current);
    }
    return (int)syscall(SYS_timerfd_gettime, fd, current);
}
