/* The board image on an emulated board (qemu-system-aarch64 -M virt, TCG),
 * driven from the host as its users reach it: the screen through QMP's
 * screendump, a finger on the virtio tablet, keyboards and sticks plugged
 * into its USB controller, the plug pulled; the platform stand-in on the
 * host, reached by the board as https://10.0.2.100:8443/. What is asked of
 * the board is asked on the board (systemctl, journalctl, kioskctl, the
 * kiosk's test channel) through the QEMU guest agent.
 *
 * Needs the image (make board-image); make check builds it first. Screens
 * go to build/test-output/board/. */
#include "tests/support/board_vm.h"
#include "tests/support/platform_fixture.h"
#include "tests/support/test_support.h"

#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

/* Under TCG a boot to the attract screen takes about half a minute; these
 * bounds leave room for a loaded machine. */
#define BOOT_SECONDS   240
#define SCREEN_SECONDS 60

static double now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6;
}

static const char *output_path(const char *name)
{
    return board_output_path(name);
}

/* The screen as a citizen sees it, kept for a person to look at. A frame
 * with the kiosk on it is a picture (tens of kB as PNG); a blank or a text
 * console is a few kB. */
static void screen_shows_kiosk(board_vm *vm, const char *name)
{
    const char *path = output_path(name);
    struct stat info = {0};
    /* The frame reaches the glass at the next page flip, which on an
     * emulated GPU can come a moment after the kiosk has drawn it. */
    for (int attempt = 0; attempt < 20; attempt++) {
        board_vm_screenshot(vm, path);
        assert_int_equal(stat(path, &info), 0);
        if (info.st_size >= 20000)
            return;
        sleep(1);
    }
    fail_msg("%s: the screen is blank or a console (%lld bytes of PNG)", path,
             (long long)info.st_size);
}

static int count_of(const char *json, const char *field)
{
    cJSON *root = cJSON_Parse(json);
    cJSON *value = cJSON_GetObjectItem(root, field);
    int count = cJSON_IsNumber(value) ? (int)value->valuedouble : -1;
    cJSON_Delete(root);
    return count;
}

/* kioskctl status on the board: records waiting in the outbox (-1: no
 * answer). */
static int outbox_waiting(board_vm *vm)
{
    static char out[1 << 16];
    if (board_vm_exec(vm, "kioskctl --json status", out, sizeof out, 60) != 0)
        return -1;
    cJSON *root = cJSON_Parse(out);
    cJSON *waiting = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "data"), "waiting");
    int count = cJSON_IsNumber(waiting) ? (int)waiting->valuedouble : -1;
    cJSON_Delete(root);
    return count;
}

/* Waits for the kiosk's screen; when it does not come, what is on the
 * screen instead is named and kept as a picture. */
static void expect_screen(board_vm *vm, const char *screen)
{
    if (board_vm_wait_screen(vm, screen, SCREEN_SECONDS))
        return;
    char name[96];
    snprintf(name, sizeof name, "failed-waiting-for-%s", screen);
    board_vm_screenshot(vm, output_path(name));
    static char journal[1 << 14];
    board_vm_exec(vm,
                  "journalctl -b -u kiosk.service --no-pager | grep -v -e ALSA -e \"test client\" "
                  "| tail -n 25",
                  journal, sizeof journal, 30);
    print_message("the kiosk's journal:\n%s\n", journal);
    fail_msg("the %s screen did not come: the kiosk answers \"%s\" (%s)", screen,
             board_vm_control(vm, "screen"), output_path(name));
}

/* A finger on a widget, and nothing else: the touch alone must wake the
 * kiosk and change the screen. (Any question on the test channel wakes it
 * too, and is answered before touches read in the same turn; so the screen
 * is asked once, after a while.) */
static void touch_alone_leads_to(board_vm *vm, const char *id, const char *screen)
{
    assert_true(board_vm_tap_widget(vm, id));
    sleep(5);
    char expected[96];
    snprintf(expected, sizeof expected, "ok %s", screen);
    const char *answer = board_vm_control(vm, "screen");
    if (strcmp(answer, expected) != 0)
        fail_msg("touching %s did not lead to %s by itself: the kiosk answers \"%s\"", id, screen,
                 answer);
}

/* Power on, and the attract screen is up and the service manager was told
 * so (READY): the time it took, in ms. */
static double boots_to_attract(board_vm *vm, int platform_port)
{
    board_vm_power_on(vm, platform_port);
    double powered = now_ms();
    if (!board_vm_wait_agent(vm, BOOT_SECONDS))
        fail_msg("the board did not boot (its console: %s/console.log)", vm->dir);
    if (!board_vm_wait_screen(vm, "attract", BOOT_SECONDS))
        fail_msg("the attract screen did not come");
    double shown = now_ms() - powered;
    for (int i = 0; i < 60 && strcmp(board_vm_unit(vm, "kiosk.service", "ActiveState"), "active");
         i++)
        sleep(1);
    assert_string_equal(board_vm_unit(vm, "kiosk.service", "ActiveState"), "active");
    assert_string_equal(board_vm_unit(vm, "kiosk.service", "StatusText"),
                        "serving: attract screen");
    return shown;
}

/* 证明打印 with the first simulated card, from the attract screen to the
 * result, every step by a finger on the screen. */
static void citizen_submits_by_touch(board_vm *vm)
{
    touch_alone_leads_to(vm, "attract.start", "home");
    assert_true(board_vm_tap_widget(vm, "tile.certificate-print"));
    expect_screen(vm, "card");
    assert_int_equal(strncmp(board_vm_control(vm, "key 1"), "ok", 2), 0);
    expect_screen(vm, "confirm");
    assert_true(board_vm_tap_widget(vm, "step.next"));
    expect_screen(vm, "result");
}

static void kiosk_restarts_within(board_vm *vm, const char *old_pid, int seconds)
{
    for (int i = 0; i < seconds; i++) {
        const char *pid = board_vm_unit(vm, "kiosk.service", "MainPID");
        if (pid[0] && strcmp(pid, "0") != 0 && strcmp(pid, old_pid) != 0 &&
            strcmp(board_vm_control(vm, "screen"), "ok attract") == 0)
            return;
        sleep(1);
    }
    fail_msg("the kiosk was not restarted onto the attract screen within %d s", seconds);
}

static void serves_recovers_and_cannot_be_escaped(void **state)
{
    (void)state;
    if (!board_image_ready())
        fail_msg("no board image in %s: make board-image", board_image_dir());
    snprintf(certs_dir, sizeof certs_dir, "%s", board_image_certs());
    platform p;
    start_platform(&p, NULL);
    board_vm vm;
    board_vm_init(&vm, "board-serves");

    double boot_ms = boots_to_attract(&vm, p.port);
    screen_shows_kiosk(&vm, "01-attract");
    /* The figures: where the boot's time goes (kernel, systemd, the kiosk
     * from its start to READY after the first frame) and the kiosk's
     * memory on the board. */
    static char analyze[8192];
    board_vm_exec(&vm,
                  "systemd-analyze; systemd-analyze critical-chain kiosk.service | tail -n +3; "
                  "grep -E 'VmRSS|VmHWM' /proc/$(systemctl show -p MainPID --value kiosk)/status; "
                  "systemctl show -p MemoryCurrent kiosk",
                  analyze, sizeof analyze, 60);
    print_message("power-on to attract screen: %.1f s (host clock, TCG)\n%s", boot_ms / 1000.0,
                  analyze);

    /* A journey to the receipt, by touch, delivered to the platform once. */
    citizen_submits_by_touch(&vm);
    screen_shows_kiosk(&vm, "02-result");
    assert_true(board_vm_tap_widget(&vm, "result.print"));
    expect_screen(&vm, "print");
    const char *receipt = NULL;
    for (int i = 0; i < 30; i++) {
        receipt = board_vm_control(&vm, "receipt");
        if (strncmp(receipt, "ok ", 3) == 0)
            break;
        sleep(1);
    }
    assert_int_equal(strncmp(receipt, "ok ", 3), 0);
    assert_int_equal(count_of(receipt + 3, "cuts"), 1);
    screen_shows_kiosk(&vm, "03-receipt");
    assert_true(stored_reaches(&p, 1, 60));
    assert_int_equal(stat_of(&p, "duplicates"), 0);

    /* The citizen takes the receipt and the card, and goes. */
    assert_true(board_vm_tap_widget(&vm, "print.done"));
    expect_screen(&vm, "rate");
    board_vm_control(&vm, "tap rate.skip");
    board_vm_control(&vm, "tap finished.end");
    board_vm_control(&vm, "key 0");
    expect_screen(&vm, "attract");

    /* The escape keys on a USB keyboard plugged in by a passer-by: no
     * other console, no reboot, the kiosk still the one on the screen. */
    char boot_id[64], after[64], pid[32];
    board_vm_exec(&vm, "cat /proc/sys/kernel/random/boot_id", boot_id, sizeof boot_id, 30);
    snprintf(pid, sizeof pid, "%s", board_vm_unit(&vm, "kiosk.service", "MainPID"));
    cJSON_Delete(board_vm_qmp(&vm, "device_add",
                              "{\"driver\": \"usb-kbd\", \"id\": \"kbd0\", \"bus\": \"xhci.0\"}"));
    sleep(3);
    static const char *const vt2[] = {"ctrl", "alt", "f2"};
    static const char *const vt1[] = {"ctrl", "alt", "f1"};
    static const char *const sysrq_reboot[] = {"alt", "sysrq", "b"};
    static const char *const cad[] = {"ctrl", "alt", "delete"};
    static const char *const alt_f4[] = {"alt", "f4"};
    board_vm_keys(&vm, vt2, 3);
    sleep(2);
    char active[32];
    board_vm_exec(&vm, "cat /sys/class/tty/tty0/active", active, sizeof active, 30);
    assert_string_equal(active, "tty1\n");
    board_vm_keys(&vm, vt1, 3);
    board_vm_keys(&vm, alt_f4, 2);
    board_vm_keys(&vm, sysrq_reboot, 3);
    board_vm_keys(&vm, cad, 3);
    sleep(3);
    board_vm_exec(&vm, "cat /proc/sys/kernel/random/boot_id", after, sizeof after, 30);
    assert_string_equal(after, boot_id);
    assert_string_equal(board_vm_unit(&vm, "kiosk.service", "MainPID"), pid);
    assert_string_equal(board_vm_control(&vm, "screen"), "ok attract");
    screen_shows_kiosk(&vm, "04-after-escape-keys");

    /* Nothing on the board listens for a connection: no TCP socket in
     * LISTEN (state 0A) on any address. */
    char listening[4096];
    board_vm_exec(&vm, "awk '$4 == \"0A\"' /proc/net/tcp /proc/net/tcp6", listening,
                  sizeof listening, 30);
    assert_string_equal(listening, "");

    /* A USB stick (mass storage: not on the board's allow-list) is refused
     * before any driver sees it. */
    char stick[1200], blockdev[1400];
    snprintf(stick, sizeof stick, "%s/stick.img", vm.dir);
    FILE *file = fopen(stick, "w");
    assert_non_null(file);
    assert_int_equal(ftruncate(fileno(file), 8 << 20), 0);
    fclose(file);
    snprintf(blockdev, sizeof blockdev,
             "{\"driver\": \"raw\", \"node-name\": \"stick0\", \"file\": {\"driver\": \"file\", "
             "\"filename\": \"%s\"}}",
             stick);
    cJSON_Delete(board_vm_qmp(&vm, "blockdev-add", blockdev));
    cJSON_Delete(board_vm_qmp(&vm, "device_add",
                              "{\"driver\": \"usb-storage\", \"id\": \"stick\", \"bus\": "
                              "\"xhci.0\", \"drive\": \"stick0\"}"));
    sleep(5);
    char usb[4096];
    board_vm_exec(&vm,
                  "for d in /sys/bus/usb/devices/*; do [ -f $d/idVendor ] && "
                  "echo $(cat $d/idVendor):$(cat $d/idProduct)=$(cat $d/authorized); done; "
                  "ls /dev/sd* 2>/dev/null; true",
                  usb, sizeof usb, 30);
    print_message("USB on the board: %s", usb);
    assert_non_null(strstr(usb, "46f4:0001=0")); /* the stick: refused */
    assert_non_null(strstr(usb, "0627:0001=1")); /* the keyboard: let in */
    assert_null(strstr(usb, "/dev/sd"));

    /* Records the platform will not take stay in the outbox; the kiosk
     * killed is restarted by systemd, and the outbox is as it was. */
    set_fault_on(&p, "500", RECORD_PATHS, -1);
    citizen_submits_by_touch(&vm);
    int waiting = -1;
    for (int i = 0; i < 30 && waiting < 1; i++, sleep(1))
        waiting = outbox_waiting(&vm);
    assert_int_equal(waiting, 1);
    snprintf(pid, sizeof pid, "%s", board_vm_unit(&vm, "kiosk.service", "MainPID"));
    assert_int_equal(board_vm_exec(&vm, "systemctl kill -s KILL kiosk.service", NULL, 0, 30), 0);
    kiosk_restarts_within(&vm, pid, 90);
    assert_int_equal(outbox_waiting(&vm), 1);

    /* The main loop hung: the watchdog (WatchdogSec=30) kills the kiosk
     * and systemd starts it again. */
    snprintf(pid, sizeof pid, "%s", board_vm_unit(&vm, "kiosk.service", "MainPID"));
    assert_int_equal(board_vm_exec(&vm,
                                   "(printf 'hang 120000\\n' | socat -t 130 - "
                                   "UNIX-CONNECT:/run/kiosk/control.sock) >/dev/null 2>&1 &",
                                   NULL, 0, 30),
                     0);
    kiosk_restarts_within(&vm, pid, 120);
    char journal[1 << 14];
    board_vm_exec(&vm, "journalctl -b -u kiosk.service --no-pager | grep -i watchdog", journal,
                  sizeof journal, 30);
    assert_non_null(strstr(journal, "Watchdog timeout"));
    assert_int_equal(outbox_waiting(&vm), 1);

    /* The plug pulled with the record waiting and a citizen half-way (on
     * the card screen). Power back: a clean start, no failed unit, no
     * restart, the attract screen (no crash dialog), the record still
     * waiting. */
    touch_alone_leads_to(&vm, "attract.start", "home");
    assert_true(board_vm_tap_widget(&vm, "tile.certificate-print"));
    expect_screen(&vm, "card");
    board_vm_power_cut(&vm);
    boots_to_attract(&vm, p.port);
    screen_shows_kiosk(&vm, "05-after-power-cut");
    char failed[2048];
    board_vm_exec(&vm, "systemctl --failed --no-legend --plain", failed, sizeof failed, 30);
    assert_string_equal(failed, "");
    assert_string_equal(board_vm_unit(&vm, "kiosk.service", "NRestarts"), "0");
    assert_int_equal(outbox_waiting(&vm), 1);

    /* The link's fault cleared: the record reaches the platform, once. */
    set_fault(&p, "none");
    assert_true(stored_reaches(&p, 2, 90));
    for (int i = 0; i < 30 && outbox_waiting(&vm) != 0; i++)
        sleep(1);
    assert_int_equal(outbox_waiting(&vm), 0);
    assert_int_equal(stat_of(&p, "stored"), 2);
    assert_int_equal(stat_of(&p, "duplicates"), 0);

    board_vm_destroy(&vm);
    stop_platform(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(serves_recovers_and_cannot_be_escaped),
    };
    return PLATFORM_RUN_TESTS(tests);
}
