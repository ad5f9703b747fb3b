/* The simulated keypad's keys beyond the developer's (keypad_sim.c): any
 * keypad key, the digits included, pressed and let go on the model, as the
 * test control channel's `keypad` command does. */
#ifndef KIOSK_DRIVERS_SIM_KEYPAD_SIM_H
#define KIOSK_DRIVERS_SIM_KEYPAD_SIM_H

#include "drivers/keypad/keypad.h"
#include "drivers/usb_model.h"

#include <stdbool.h>

/* Presses key on model (the simulated keypad's): its three reports are
 * queued for the driver to read. False for KEYPAD_KEY_NONE or anything out
 * of range, and when too many reports wait already (the press is lost). */
bool keypad_sim_press(usb_model *model, keypad_key key);

#endif
