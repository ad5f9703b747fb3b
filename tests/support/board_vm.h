/* The board image on an emulated board (board/emulate: qemu-system-aarch64
 * -M virt), driven from the host as a technician or a citizen would reach
 * it: QMP for the screen (screendump), the finger (the virtio tablet) and
 * USB devices plugged in; the QEMU guest agent for commands on the board
 * (systemctl, journalctl, the kiosk's test channel through socat). Each
 * board boots a copy-on-write overlay of build-board/image/disk.img, kept
 * across power cuts and reboots of the same board. */
#ifndef KIOSK_TESTS_SUPPORT_BOARD_VM_H
#define KIOSK_TESTS_SUPPORT_BOARD_VM_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct board_vm {
    pid_t pid;                /* qemu, 0 when off */
    int qmp;                  /* QMP socket, -1 when off */
    int agent;                /* guest agent socket, -1 until it answers */
    char dir[512];            /* the board's files: overlay, sockets, console */
    char image[600];          /* build-board/image */
    int platform_port;        /* the host port 10.0.2.100:8443 reaches (0: none) */
    double powered_ms;        /* when qemu started (test clock) */
    int pointer_x, pointer_y; /* where the tablet was last put */
} board_vm;

/* The image folder, and whether it has been built (make board-image). */
const char *board_image_dir(void);
bool board_image_ready(void);
/* The development certificates the image was built with: a platform
 * stand-in started with these is trusted by the board. */
const char *board_image_certs(void);

/* build/test-output/board/NAME.png, the folder made when missing: where
 * the board tests keep the screens they read back (static buffer). */
const char *board_output_path(const char *name);

/* A fresh board: a new overlay of the image in a new folder. */
void board_vm_init(board_vm *vm, const char *name);
/* Power on: qemu starts, QMP answers. platform_port as in board_vm. */
void board_vm_power_on(board_vm *vm, int platform_port);
/* Waits until the guest agent answers (the board has booted this far). */
bool board_vm_wait_agent(board_vm *vm, int seconds);
/* Pulls the plug: qemu killed, nothing flushed. */
void board_vm_power_cut(board_vm *vm);
/* Powers off if on, and removes the board's folder. */
void board_vm_destroy(board_vm *vm);

/* A shell command on the board as root: its exit status (-1: it did not
 * run or did not end within seconds); its standard output into out. */
int board_vm_exec(board_vm *vm, const char *command, char *out, size_t size, int seconds);
/* One line to the kiosk's test channel; its answer (static buffer), or
 * "" when the kiosk did not answer. */
const char *board_vm_control(board_vm *vm, const char *command);
/* Asks for the screen's name every half second until it is screen. */
bool board_vm_wait_screen(board_vm *vm, const char *screen, int seconds);
/* systemctl show -p PROPERTY --value UNIT on the board (static buffer). */
const char *board_vm_unit(board_vm *vm, const char *unit, const char *property);

/* A QMP command; its "return" (the caller deletes it), NULL on error. */
cJSON *board_vm_qmp(board_vm *vm, const char *command, const char *arguments_json);
/* The screen as PNG, through QMP's screendump. */
void board_vm_screenshot(board_vm *vm, const char *png_path);
/* A finger down and up at x, y (screen pixels) on the virtio tablet. */
void board_vm_tap(board_vm *vm, int x, int y);
/* Taps the centre of the kiosk's widget id (its bounds from the tree):
 * whether it was on the screen. */
bool board_vm_tap_widget(board_vm *vm, const char *id);
/* Keys pressed together and released (QEMU's qcodes, e.g. "ctrl", "alt",
 * "f2"), on whatever keyboard the board has. */
void board_vm_keys(board_vm *vm, const char *const *qcodes, size_t count);

#endif
