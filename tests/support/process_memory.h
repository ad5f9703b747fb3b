/* What a running process still holds: for the end-to-end tests that check
 * a secret (a PIN, an ID number, a staff QR code's text) is wiped once its
 * holder has gone (tests/e2e/test_kiosk_staff_signin.c,
 * test_kiosk_staff_qr.c). */
#ifndef KIOSK_TESTS_SUPPORT_PROCESS_MEMORY_H
#define KIOSK_TESTS_SUPPORT_PROCESS_MEMORY_H

#include <sys/types.h>

/* How often text (UTF-8, and UTF-16LE as the card reader's frames carry
 * it; at most 63 bytes) is in pid's memory: every readable region
 * (/proc/PID/maps and /proc/PID/mem) but the kernel's vvar and vsyscall.
 * Freed memory counts: under ASan a freed block keeps what it held. */
int process_memory_count(pid_t pid, const char *text);

#endif
