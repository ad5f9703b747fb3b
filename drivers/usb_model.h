/* A simulated USB device: the model that answers a driver's bytes.
 *
 * A model is written once and can sit behind two buses: the in-process
 * simulated bus (drivers/usb_sim.c, used by `make run` and most tests) and a
 * umockdev-emulated device that the real libusb transport talks to (the libusb
 * tests). Models answer real protocol bytes; nothing above the transport
 * knows it is talking to one.
 *
 * All calls come with the bus's lock held, one at a time. */
#ifndef KIOSK_DRIVERS_USB_MODEL_H
#define KIOSK_DRIVERS_USB_MODEL_H

#include "drivers/usb.h"

#include <stdbool.h>

typedef struct usb_model usb_model;

typedef struct usb_model_ops {
    /* Host to device: a bulk or interrupt OUT transfer's bytes. Errors here
     * reach the driver as IO (a stall). NULL: the device has no OUT
     * endpoint, and every OUT transfer stalls. */
    kiosk_error (*receive)(usb_model *model, uint8_t endpoint, const uint8_t *data, size_t length);
    /* Device to host: up to capacity bytes of what the device has to say on
     * this IN endpoint now; *length 0 when it has nothing yet (the host keeps
     * waiting until its time-out). */
    kiosk_error (*send)(usb_model *model, uint8_t endpoint, uint8_t *data, size_t capacity,
                        size_t *length);
    /* Optional: control transfers; NULL stalls them. */
    kiosk_error (*control)(usb_model *model, uint8_t request_type, uint8_t request, uint16_t value,
                           uint16_t index, uint8_t *data, uint16_t length, size_t *transferred);
    void (*destroy)(usb_model *model);
} usb_model_ops;

struct usb_model {
    const usb_model_ops *ops;
    usb_id id;
    int interface;
    /* USB descriptors for the umockdev path: the interface's class and its
     * endpoints (IN and OUT addresses, 0 when absent). */
    uint8_t interface_class;
    uint8_t endpoint_in;
    uint8_t endpoint_out;
    uint8_t endpoint_interrupt_in;
};

#endif
