/* The USB transport as the device core sees it (device_transport). */
#include "drivers/devices.h"

#include <stdio.h>

static void hotplug(void *context, usb_hotplug_event event, usb_id id, const char *location)
{
    const device_watch *watch = context;
    device_address where = {.usb = id};
    snprintf(where.location, sizeof where.location, "%s", location);
    watch->presence(watch->context, event == USB_ARRIVED, &where);
}

static kiosk_error watch(void *bus, device_watch *watch)
{
    return watch ? usb_watch(bus, hotplug, watch) : usb_watch(bus, NULL, NULL);
}

static bool takes(const device_driver *driver, const device_address *where)
{
    for (size_t i = 0; i < driver->match.usb.id_count; i++) {
        const usb_id *id = &driver->match.usb.ids[i];
        if (id->vendor == where->usb.vendor && id->product == where->usb.product)
            return true;
    }
    return false;
}

static kiosk_error open_device(void *bus, const device_driver *driver, const device_address *where,
                               void **link)
{
    usb_device *device = NULL;
    kiosk_error result = usb_open(bus, where->usb, driver->match.usb.interface, &device);
    *link = device;
    return result;
}

static void close_device(void *link)
{
    usb_close(link);
}

const device_transport usb_device_transport = {
    .kind = DEVICE_TRANSPORT_USB,
    .watch = watch,
    .takes = takes,
    .open = open_device,
    .close = close_device,
};
