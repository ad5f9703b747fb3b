/* Emulated USB devices for the tests of the libusb transport: see
 * usb_umockdev.h.
 *
 * How libusb meets the model. umockdev's preload library gives the test
 * process a private /sys and /dev (the testbed) and a udev that reads them,
 * so libusb enumerates the device from its sysfs attributes and descriptors
 * and learns of arrivals and departures from uevents. The device node is a
 * plain file; every ioctl on it is forwarded over a socket to the handler
 * attached here, which umockdev runs on a thread of its own. The handler keeps
 * the state a kernel keeps per open device node (claimed interfaces, URBs in
 * flight, URBs completed but not yet reaped) and calls the model.
 *
 * A plain file always polls ready, so libusb's event thread reaps without
 * pause while a device is open; each REAPURBNDELAY first asks the model again
 * for the IN URBs still waiting, which is how an IN URB completes once the
 * model has something to say. */
#include "usb_umockdev.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

/* <linux/usbdevice_fs.h> needs <sys/ioctl.h> first. */
#include <linux/usbdevice_fs.h>

#define SYSFS_PARENT "/sys/devices/pci0000:00/0000:00:14.0/usb1"
#define USB_MAJOR    189
#define CLIENT_KEY   "kiosk-usb-umockdev"

/* What a usbfs of today offers. With scatter-gather, libusb sends a bulk
 * transfer as one URB; with reap-after-disconnect, it reaps the URBs a
 * departure failed. */
#define CAPABILITIES                                                                               \
    (USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM | \
     USBDEVFS_CAP_BULK_SCATTER_GATHER | USBDEVFS_CAP_REAP_AFTER_DISCONNECT)

/* One URB as the handler keeps it: the client's struct usbdevfs_urb and its
 * buffer, resolved (copied) from the client, and written back to it when the
 * URB is reaped. */
typedef struct urb {
    UMockdevIoctlData *data;
    UMockdevIoctlData *buffer; /* NULL for an empty buffer */
    struct urb *next;
} urb;

/* What the kernel keeps per open device node. */
typedef struct client_state {
    usb_umockdev *device;        /* NULL once the device is removed */
    char devnode[32];            /* which plug-in it opened */
    uint32_t claimed;            /* interfaces, a bit each */
    urb *pending;                /* IN URBs waiting for the model, oldest first */
    urb *done;                   /* completed, waiting to be reaped, oldest first */
    UMockdevIoctlClient *reaper; /* blocked in USBDEVFS_REAPURB (referenced) */
    struct client_state *next;
} client_state;

struct usb_umockdev {
    UMockdevTestbed *testbed;
    usb_model *model;
    UMockdevIoctlBase *handler;
    gulong handler_id;
    unsigned port;
    unsigned devnum;
    bool plugged;
    char syspath[96];
    char devnode[32];
    char location[16];
    GPtrArray *attached; /* device nodes the handler serves */
    client_state *clients;
};

/* One lock for every emulated device: the "bus lock" the model's calls come
 * with. The ioctl thread is a single thread anyway. */
static pthread_mutex_t bridge_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bridge_changed;
static pthread_once_t bridge_once = PTHREAD_ONCE_INIT;
static unsigned last_devnum = 1;

static void init_bridge(void)
{
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(&bridge_changed, &attributes);
    pthread_condattr_destroy(&attributes);
}

/* Addresses 2..127 in turn, as a hub hands them out (1 is the root hub). */
static unsigned next_devnum_locked(void)
{
    last_devnum = last_devnum >= 127 ? 2 : last_devnum + 1;
    return last_devnum;
}

/* ------------------------------------------------------------------------ */
/* Descriptors and sysfs                                                    */

static size_t put_endpoint(uint8_t *at, uint8_t address, uint8_t attributes, uint8_t interval)
{
    const uint8_t endpoint[7] = {7, 0x05, address, attributes, 64, 0, interval};
    memcpy(at, endpoint, sizeof endpoint);
    return sizeof endpoint;
}

/* The device descriptor, then the configuration with its one interface and
 * its endpoints, as sysfs "descriptors" shows them (little-endian). */
static size_t build_descriptors(const usb_model *model, uint8_t *out)
{
    /* bLength, bDescriptorType, bcdUSB 2.00, class, subclass, protocol,
     * bMaxPacketSize0, idVendor, idProduct, bcdDevice 1.00, no strings, one
     * configuration. */
    uint8_t device[18] = {18, 0x01, 0x00, 0x02, 0, 0, 0, 64, 0, 0, 0, 0, 0x00, 0x01, 0, 0, 0, 1};
    device[8] = (uint8_t)(model->id.vendor & 0xff);
    device[9] = (uint8_t)(model->id.vendor >> 8);
    device[10] = (uint8_t)(model->id.product & 0xff);
    device[11] = (uint8_t)(model->id.product >> 8);
    memcpy(out, device, sizeof device);
    uint8_t *config = out + sizeof device;
    uint8_t endpoints[128];
    size_t endpoint_bytes = 0;
    uint8_t count = 0;
    if (model->endpoint_in) {
        endpoint_bytes += put_endpoint(endpoints + endpoint_bytes, model->endpoint_in, 0x02, 0);
        count++;
    }
    if (model->endpoint_out) {
        endpoint_bytes += put_endpoint(endpoints + endpoint_bytes, model->endpoint_out, 0x02, 0);
        count++;
    }
    if (model->endpoint_interrupt_in) {
        endpoint_bytes +=
            put_endpoint(endpoints + endpoint_bytes, model->endpoint_interrupt_in, 0x03, 10);
        count++;
    }
    size_t total = 9 + 9 + endpoint_bytes;
    const uint8_t configuration[9] = {
        9, 0x02, (uint8_t)(total & 0xff), (uint8_t)(total >> 8), 1, 1, 0, 0x80, 50};
    const uint8_t interface[9] = {
        9, 0x04, (uint8_t)model->interface, 0, count, model->interface_class, 0, 0, 0};
    memcpy(config, configuration, sizeof configuration);
    memcpy(config + 9, interface, sizeof interface);
    memcpy(config + 18, endpoints, endpoint_bytes);
    return sizeof device + total;
}

static void to_hex(const uint8_t *bytes, size_t length, char *out)
{
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < length; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
    out[2 * length] = '\0';
}

/* Adds the device to the testbed (umockdev-record's text format; an escaped
 * \n ends each attribute as in real sysfs), attaches the handler to its node
 * and announces it. */
static bool plug(usb_umockdev *device)
{
    uint8_t descriptors[256];
    size_t length = build_descriptors(device->model, descriptors);
    char hex[2 * sizeof descriptors + 1];
    to_hex(descriptors, length, hex);
    unsigned minor = device->devnum - 1; /* bus 1 */
    char *description = g_strdup_printf(
        "P: %s\n"
        "N: bus/usb/001/%03u=%s\n"
        "E: SUBSYSTEM=usb\n"
        "E: DEVTYPE=usb_device\n"
        "E: DEVNAME=/dev/bus/usb/001/%03u\n"
        "E: PRODUCT=%x/%x/100\n"
        "E: BUSNUM=001\n"
        "E: DEVNUM=%03u\n"
        "E: MAJOR=%u\n"
        "E: MINOR=%u\n"
        "A: busnum=1\\n\n"
        "A: devnum=%u\\n\n"
        "A: speed=480\\n\n"
        "A: bConfigurationValue=1\\n\n"
        "A: bNumConfigurations=1\\n\n"
        "A: idVendor=%04x\\n\n"
        "A: idProduct=%04x\\n\n"
        "A: dev=%u:%u\\n\n"
        "H: descriptors=%s\n",
        device->syspath + strlen("/sys"), device->devnum, hex, device->devnum,
        device->model->id.vendor, device->model->id.product, device->devnum, USB_MAJOR, minor,
        device->devnum, device->model->id.vendor, device->model->id.product, USB_MAJOR, minor, hex);
    /* The node's ioctl handler first: the transport may find the node and
     * open it the moment it exists (a scan, not only the uevent), and a node
     * opened with no handler of its own ends the test in umockdev's preload. */
    GError *error = NULL;
    bool added =
        umockdev_testbed_attach_ioctl(device->testbed, device->devnode, device->handler, &error);
    if (added)
        added = umockdev_testbed_add_from_string(device->testbed, description, &error);
    g_free(description);
    if (!added) {
        fprintf(stderr, "usb_umockdev: cannot add %s: %s\n", device->devnode,
                error ? error->message : "?");
        g_clear_error(&error);
        return false;
    }
    g_ptr_array_add(device->attached, g_strdup(device->devnode));
    pthread_mutex_lock(&bridge_lock);
    device->plugged = true;
    pthread_mutex_unlock(&bridge_lock);
    umockdev_testbed_uevent(device->testbed, device->syspath, "add");
    return true;
}

/* ------------------------------------------------------------------------ */
/* URBs                                                                     */

static struct usbdevfs_urb *urb_struct(const urb *u)
{
    return (struct usbdevfs_urb *)u->data->data;
}

static void free_urbs(urb *list)
{
    while (list) {
        urb *next = list->next;
        if (list->buffer)
            g_object_unref(list->buffer);
        g_object_unref(list->data);
        free(list);
        list = next;
    }
}

static void append(urb **list, urb *u)
{
    u->next = NULL;
    while (*list)
        list = &(*list)->next;
    *list = u;
}

static urb *pop(urb **list)
{
    urb *u = *list;
    if (u)
        *list = u->next;
    return u;
}

static void finish(client_state *state, urb *u, int status, size_t actual)
{
    urb_struct(u)->status = status;
    urb_struct(u)->actual_length = (int)actual;
    append(&state->done, u);
}

static uint8_t *buffer_of(const urb *u)
{
    return u->buffer ? (uint8_t *)u->buffer->data : NULL;
}

/* Asks the model for what an IN URB waits for; false while it has nothing. */
static bool answer_in(usb_model *model, client_state *state, urb *u)
{
    struct usbdevfs_urb *s = urb_struct(u);
    size_t capacity = (size_t)s->buffer_length;
    size_t length = 0;
    if (model->ops->send(model, s->endpoint, buffer_of(u), capacity, &length) != KIOSK_OK) {
        finish(state, u, -EPIPE, 0); /* a stall */
        return true;
    }
    if (length == 0 && capacity > 0)
        return false;
    if (length > capacity)
        finish(state, u, -EOVERFLOW, capacity);
    else
        finish(state, u, 0, length);
    return true;
}

static void answer_pending_locked(usb_umockdev *device, client_state *state)
{
    urb **at = &state->pending;
    while (*at) {
        urb *u = *at;
        urb *next = u->next;
        if (answer_in(device->model, state, u)) {
            *at = next;
            pthread_cond_broadcast(&bridge_changed);
        } else {
            at = &u->next;
        }
    }
}

static int submit_control(usb_model *model, client_state *state, urb *u)
{
    struct usbdevfs_urb *s = urb_struct(u);
    uint8_t *setup = buffer_of(u);
    if (s->endpoint != 0 || s->buffer_length < 8 || !setup)
        return EINVAL;
    uint16_t value = (uint16_t)(setup[2] | setup[3] << 8);
    uint16_t index = (uint16_t)(setup[4] | setup[5] << 8);
    uint16_t length = (uint16_t)(setup[6] | setup[7] << 8);
    if (length > s->buffer_length - 8)
        return EINVAL;
    size_t moved = 0;
    kiosk_error result = KIOSK_ERR_UNSUPPORTED;
    if (model->ops->control)
        result =
            model->ops->control(model, setup[0], setup[1], value, index, setup + 8, length, &moved);
    if (result == KIOSK_OK)
        finish(state, u, 0, moved > length ? length : moved);
    else
        finish(state, u, -EPIPE, 0);
    return 0;
}

/* USBDEVFS_SUBMITURB: OUT and control URBs complete at once, IN URBs when
 * the model has something to send. Returns an errno, 0 when submitted. */
static int submit(usb_umockdev *device, client_state *state, UMockdevIoctlData *arg)
{
    UMockdevIoctlData *data =
        umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
    if (!data)
        return EFAULT;
    struct usbdevfs_urb *s = (struct usbdevfs_urb *)data->data;
    if (s->buffer_length < 0) {
        g_object_unref(data);
        return EINVAL;
    }
    urb *u = calloc(1, sizeof *u);
    u->data = data;
    if (s->buffer_length > 0) {
        u->buffer = umockdev_ioctl_data_resolve(data, offsetof(struct usbdevfs_urb, buffer),
                                                (gsize)s->buffer_length, NULL);
        if (!u->buffer) {
            free_urbs(u);
            return EFAULT;
        }
    }
    s = urb_struct(u); /* resolving rewrote the local copy's buffer pointer */
    s->status = 0;
    s->actual_length = 0;
    usb_model *model = device->model;
    int error = 0;
    switch (s->type) {
    case USBDEVFS_URB_TYPE_CONTROL:
        error = submit_control(model, state, u);
        break;
    case USBDEVFS_URB_TYPE_BULK:
    case USBDEVFS_URB_TYPE_INTERRUPT:
        if (s->endpoint & USB_ENDPOINT_IN) {
            if (!answer_in(model, state, u)) {
                append(&state->pending, u);
                pthread_cond_broadcast(&bridge_changed);
            }
        } else if (model->ops->receive &&
                   model->ops->receive(model, s->endpoint, buffer_of(u),
                                       (size_t)s->buffer_length) == KIOSK_OK) {
            finish(state, u, 0, (size_t)s->buffer_length);
        } else {
            finish(state, u, -EPIPE, 0);
        }
        break;
    default:
        error = EINVAL; /* isochronous: no model has such an endpoint */
        break;
    }
    if (error)
        free_urbs(u);
    return error;
}

/* USBDEVFS_DISCARDURB: the URB completes as cancelled (-ENOENT) and is then
 * reaped like any other; one no longer in flight gives EINVAL. */
static int discard(client_state *state, UMockdevIoctlData *arg)
{
    unsigned long address = 0;
    memcpy(&address, arg->data, sizeof address);
    for (urb **at = &state->pending; *at; at = &(*at)->next) {
        urb *u = *at;
        if (u->data->client_addr != address)
            continue;
        *at = u->next;
        finish(state, u, -ENOENT, 0);
        pthread_cond_broadcast(&bridge_changed);
        return 0;
    }
    return EINVAL;
}

/* Hands a completed URB to the client: its pointer goes into the client's
 * variable, and the URB (status, length) and an IN buffer are written back
 * when the ioctl completes. */
static int reap_into(UMockdevIoctlData *arg, urb *u)
{
    UMockdevIoctlData *slot = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), NULL);
    int error = 0;
    if (slot) {
        umockdev_ioctl_data_set_ptr(slot, 0, u->data);
        g_object_unref(slot);
    } else {
        error = EFAULT;
    }
    u->next = NULL;
    free_urbs(u); /* the ioctl's data holds what it still needs */
    return error;
}

/* A blocked USBDEVFS_REAPURB gets the oldest completed URB, or ENODEV once
 * the device is gone. The client is returned for unreferencing once the
 * lock is released (dropping the last reference runs client_gone). */
static UMockdevIoctlClient *wake_reaper_locked(client_state *state, bool gone)
{
    UMockdevIoctlClient *reaper = state->reaper;
    if (!reaper || (!state->done && !gone))
        return NULL;
    state->reaper = NULL;
    if (state->done) {
        int error = reap_into(umockdev_ioctl_client_get_arg(reaper), pop(&state->done));
        umockdev_ioctl_client_complete(reaper, error ? -1 : 0, error);
    } else {
        umockdev_ioctl_client_complete(reaper, -1, ENODEV);
    }
    return reaper;
}

/* ------------------------------------------------------------------------ */
/* The ioctl handler                                                        */

static void client_gone(gpointer data)
{
    client_state *state = data;
    pthread_mutex_lock(&bridge_lock);
    if (state->device) {
        for (client_state **at = &state->device->clients; *at; at = &(*at)->next) {
            if (*at == state) {
                *at = state->next;
                break;
            }
        }
    }
    pthread_mutex_unlock(&bridge_lock);
    free_urbs(state->pending);
    free_urbs(state->done);
    free(state);
}

static client_state *state_of(usb_umockdev *device, UMockdevIoctlClient *client)
{
    client_state *state = g_object_get_data(G_OBJECT(client), CLIENT_KEY);
    if (state)
        return state;
    state = calloc(1, sizeof *state);
    state->device = device;
    snprintf(state->devnode, sizeof state->devnode, "%s",
             umockdev_ioctl_client_get_devnode(client));
    state->next = device->clients;
    device->clients = state;
    g_object_set_data_full(G_OBJECT(client), CLIENT_KEY, state, client_gone);
    return state;
}

static bool claimed_elsewhere(const usb_umockdev *device, const client_state *state,
                              unsigned interface)
{
    for (const client_state *other = device->clients; other; other = other->next) {
        if (other != state && strcmp(other->devnode, state->devnode) == 0 &&
            (other->claimed & (1u << interface)))
            return true;
    }
    return false;
}

static unsigned read_uint(UMockdevIoctlData *arg, bool *ok)
{
    unsigned value = 0;
    UMockdevIoctlData *data = umockdev_ioctl_data_resolve(arg, 0, sizeof value, NULL);
    *ok = data != NULL;
    if (data) {
        memcpy(&value, data->data, sizeof value);
        g_object_unref(data);
    }
    return value;
}

static int claim(usb_umockdev *device, client_state *state, unsigned interface)
{
    if (interface != (unsigned)device->model->interface)
        return ENOENT;
    if (claimed_elsewhere(device, state, interface))
        return EBUSY;
    state->claimed |= 1u << interface;
    return 0;
}

/* Answers one request: the ioctl's result (-1 with *error set, or >= 0).
 * *defer when the client is to wait (a REAPURB with nothing to reap). */
static long handle_locked(usb_umockdev *device, client_state *state, UMockdevIoctlClient *client,
                          int *error, bool *defer)
{
    unsigned long request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    bool gone = !device->plugged || strcmp(state->devnode, device->devnode) != 0;
    bool ok = true;
    *error = 0;

    /* As in the kernel, reaping goes on after a disconnect. */
    if (request == USBDEVFS_REAPURB || request == USBDEVFS_REAPURBNDELAY) {
        if (!gone)
            answer_pending_locked(device, state);
        urb *u = pop(&state->done);
        if (u)
            *error = reap_into(arg, u);
        else if (gone)
            *error = ENODEV;
        else if (request == USBDEVFS_REAPURB) {
            state->reaper = g_object_ref(client);
            *defer = true;
        } else
            *error = EAGAIN;
        return *error ? -1 : 0;
    }
    if (gone) {
        *error = ENODEV;
        return -1;
    }
    switch (request) {
    case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData *data = umockdev_ioctl_data_resolve(arg, 0, sizeof(uint32_t), NULL);
        if (!data) {
            *error = EFAULT;
            break;
        }
        uint32_t capabilities = CAPABILITIES;
        memcpy(data->data, &capabilities, sizeof capabilities);
        g_object_unref(data);
        break;
    }
    case USBDEVFS_CLAIMINTERFACE: {
        unsigned interface = read_uint(arg, &ok);
        *error = ok ? claim(device, state, interface) : EFAULT;
        break;
    }
    case USBDEVFS_DISCONNECT_CLAIM: /* starts with the interface number */ {
        unsigned interface = read_uint(arg, &ok);
        *error = ok ? claim(device, state, interface) : EFAULT;
        break;
    }
    case USBDEVFS_RELEASEINTERFACE: {
        unsigned interface = read_uint(arg, &ok);
        if (!ok)
            *error = EFAULT;
        else if (interface >= 32 || !(state->claimed & (1u << interface)))
            *error = EINVAL;
        else
            state->claimed &= ~(1u << interface);
        break;
    }
    case USBDEVFS_GETDRIVER: /* no kernel driver is bound */
    case USBDEVFS_IOCTL:     /* so none to detach or attach */
        *error = ENODATA;
        break;
    case USBDEVFS_SUBMITURB:
        *error = submit(device, state, arg);
        break;
    case USBDEVFS_DISCARDURB:
        *error = discard(state, arg);
        break;
    case USBDEVFS_GET_SPEED:
        return 3; /* USB_SPEED_HIGH */
    case USBDEVFS_SETCONFIGURATION:
    case USBDEVFS_SETINTERFACE:
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESETEP:
    case USBDEVFS_RESET:
        break;
    default:
        *error = ENOTTY;
        break;
    }
    return *error ? -1 : 0;
}

static gboolean on_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client,
                         gpointer user_data)
{
    (void)handler;
    usb_umockdev *device = user_data;
    int error = 0;
    bool defer = false;
    pthread_mutex_lock(&bridge_lock);
    long result = handle_locked(device, state_of(device, client), client, &error, &defer);
    pthread_mutex_unlock(&bridge_lock);
    if (!defer)
        umockdev_ioctl_client_complete(client, result, error);
    return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The device                                                               */

usb_umockdev *usb_umockdev_add(UMockdevTestbed *testbed, usb_model *model, unsigned port)
{
    pthread_once(&bridge_once, init_bridge);
    if (port < 1 || port > 31)
        return NULL;
    usb_umockdev *device = calloc(1, sizeof *device);
    device->testbed = g_object_ref(testbed);
    device->model = model;
    device->port = port;
    snprintf(device->syspath, sizeof device->syspath, SYSFS_PARENT "/1-%u", port);
    snprintf(device->location, sizeof device->location, "1-%u", port);
    device->attached = g_ptr_array_new_with_free_func(g_free);
    device->handler = umockdev_ioctl_base_new();
    device->handler_id =
        g_signal_connect(device->handler, "handle-ioctl", G_CALLBACK(on_ioctl), device);
    pthread_mutex_lock(&bridge_lock);
    device->devnum = next_devnum_locked();
    snprintf(device->devnode, sizeof device->devnode, "/dev/bus/usb/001/%03u", device->devnum);
    pthread_mutex_unlock(&bridge_lock);
    if (!plug(device)) {
        usb_umockdev_remove(device);
        return NULL;
    }
    return device;
}

void usb_umockdev_unplug(usb_umockdev *device)
{
    UMockdevIoctlClient *reapers[16];
    size_t reaper_count = 0;
    pthread_mutex_lock(&bridge_lock);
    if (!device->plugged) {
        pthread_mutex_unlock(&bridge_lock);
        return;
    }
    device->plugged = false;
    for (client_state *state = device->clients; state; state = state->next) {
        urb *u;
        while ((u = pop(&state->pending)))
            finish(state, u, -ENODEV, 0);
        UMockdevIoctlClient *reaper = wake_reaper_locked(state, true);
        if (reaper && reaper_count < sizeof reapers / sizeof reapers[0])
            reapers[reaper_count++] = reaper;
    }
    pthread_cond_broadcast(&bridge_changed);
    pthread_mutex_unlock(&bridge_lock);
    for (size_t i = 0; i < reaper_count; i++)
        g_object_unref(reapers[i]);

    /* The uevent is built from the device's sysfs entry: send it first. */
    umockdev_testbed_uevent(device->testbed, device->syspath, "remove");
    umockdev_testbed_remove_device(device->testbed, device->syspath);
}

void usb_umockdev_replug(usb_umockdev *device)
{
    pthread_mutex_lock(&bridge_lock);
    bool plugged = device->plugged;
    if (!plugged) {
        device->devnum = next_devnum_locked();
        snprintf(device->devnode, sizeof device->devnode, "/dev/bus/usb/001/%03u", device->devnum);
    }
    pthread_mutex_unlock(&bridge_lock);
    if (!plugged)
        plug(device);
}

void usb_umockdev_with_model(usb_umockdev *device, void (*fn)(usb_model *model, void *context),
                             void *context)
{
    UMockdevIoctlClient *reapers[16];
    size_t reaper_count = 0;
    pthread_mutex_lock(&bridge_lock);
    fn(device->model, context);
    for (client_state *state = device->clients; state; state = state->next) {
        if (!device->plugged || strcmp(state->devnode, device->devnode) != 0)
            continue;
        answer_pending_locked(device, state);
        UMockdevIoctlClient *reaper = wake_reaper_locked(state, false);
        if (reaper && reaper_count < sizeof reapers / sizeof reapers[0])
            reapers[reaper_count++] = reaper;
    }
    pthread_cond_broadcast(&bridge_changed);
    pthread_mutex_unlock(&bridge_lock);
    for (size_t i = 0; i < reaper_count; i++)
        g_object_unref(reapers[i]);
}

static unsigned pending_in_locked(const usb_umockdev *device)
{
    unsigned count = 0;
    for (const client_state *state = device->clients; state; state = state->next) {
        for (const urb *u = state->pending; u; u = u->next)
            count++;
    }
    return count;
}

bool usb_umockdev_wait_pending_in(usb_umockdev *device, unsigned count, unsigned timeout_ms)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += (time_t)(timeout_ms / 1000u);
    deadline.tv_nsec += (long)(timeout_ms % 1000u) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&bridge_lock);
    bool reached = pending_in_locked(device) >= count;
    while (!reached &&
           pthread_cond_timedwait(&bridge_changed, &bridge_lock, &deadline) != ETIMEDOUT)
        reached = pending_in_locked(device) >= count;
    if (!reached)
        reached = pending_in_locked(device) >= count;
    pthread_mutex_unlock(&bridge_lock);
    return reached;
}

const char *usb_umockdev_location(const usb_umockdev *device)
{
    return device->location;
}

void usb_umockdev_remove(usb_umockdev *device)
{
    if (!device)
        return;
    usb_umockdev_unplug(device);
    /* Node states still alive (their clients end on umockdev's thread, in
     * their own time) no longer point here. */
    pthread_mutex_lock(&bridge_lock);
    for (client_state *state = device->clients; state; state = state->next)
        state->device = NULL;
    device->clients = NULL;
    pthread_mutex_unlock(&bridge_lock);
    g_signal_handler_disconnect(device->handler, device->handler_id);
    for (guint i = 0; i < device->attached->len; i++)
        umockdev_testbed_detach_ioctl(device->testbed, g_ptr_array_index(device->attached, i),
                                      NULL);
    g_ptr_array_unref(device->attached);
    g_object_unref(device->handler);
    g_object_unref(device->testbed);
    if (device->model && device->model->ops->destroy)
        device->model->ops->destroy(device->model);
    free(device);
}
