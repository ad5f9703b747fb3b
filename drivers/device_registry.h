/* The device registry: every device kind this firmware knows, one row each.
 *
 *     ROW(KIND, "key", driver, simulator)
 *
 * KIND      names the kind in code: DEVICE_<KIND> (drivers/devices.h)
 * "key"     names it in a board profile (devices[].kind), in logs and in the
 *           app's status keys
 * driver    its const device_driver (drivers/<kind>/)
 * simulator its const device_simulator (drivers/sim/), the model plugged in
 *           when the board says "transport": "sim"
 *
 * The list is read three times: drivers/devices.h makes the enum of kinds,
 * drivers/devices.c the key of each, drivers/device_registry.c the table of
 * rows (device_registry_find). A new kind is its driver, its simulator and a
 * row here (docs/adding-a-device.md). The order is the enum's; the
 * simulated bus plugs a kind at "sim-<n>", n its place from 1. */
#ifndef KIOSK_DRIVERS_DEVICE_REGISTRY_H
#define KIOSK_DRIVERS_DEVICE_REGISTRY_H

/* clang-format off */
#define DEVICE_REGISTRY(ROW)                                        \
    ROW(ID_READER, "id-reader", idcard_driver,  idcard_simulator)   \
    ROW(PRINTER,   "printer",   printer_driver, printer_simulator)  \
    ROW(SCANNER,   "scanner",   scanner_driver, scanner_simulator)  \
    ROW(KEYPAD,    "keypad",    keypad_driver,  keypad_simulator)   \
    ROW(A4_PRINTER, "a4-printer", a4_printer_driver, a4_simulator)
/* clang-format on */

#endif
