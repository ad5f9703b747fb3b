/* The QR / barcode scanner driver: reads the scanner's interrupt IN
 * endpoint, assembles scans with the decoder (scan_decode.h), and hands each
 * accepted one to the main thread as one delivery (a scan_event).
 *
 * At open the interface's HID report descriptor says which mode the scanner
 * is in (HID POS or a keyboard); a scanner that does not give it is taken by
 * its USB id. A keyboard-mode scanner is claimed from the kernel (the
 * transport detaches usbhid), so what it types never reaches the screen as
 * keys. The step blocks on the endpoint with a time-out: an idle scanner
 * costs a wake-up every half second, not a busy loop.
 *
 * Bounded under a storm of scans: at most SCANNER_MAX_IN_FLIGHT events wait
 * for the main thread; the excess is dropped, counted and logged once a
 * second. The same code read again within a second (a phone held under the
 * scanner) is one showing and delivered once. */
#include "drivers/scanner/scanner.h"
#include "drivers/devices.h"
#include "drivers/driver_probes.h"
#include "drivers/scanner/scan_decode.h"

#include "firmware/base/log.h"
#include "firmware/base/monotonic.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define INTERFACE   0
#define ENDPOINT_IN 0x81

#define READ_IDLE_MS    500  /* nothing being scanned */
#define READ_GAP_MS     200  /* in the middle of a scan: the scanner went quiet */
#define CONTROL_MS      1000 /* descriptor and protocol requests at open */
#define REPEAT_MS       1000 /* the same code again within this is the same showing */
#define REFUSED_SHOW_MS 3000 /* how long "code-refused" stays before "ready" */
#define LOG_EVERY_MS    1000 /* drops and refusals: at most one line a second */
#define LINK_RETRIES    3
#define LINK_RETRY_MS   100
#define FAULT_RETRY_MS  2000
#define DESCRIPTOR_MAX  512

/* HID class requests (HID 1.11, 7.1 and 7.2). */
#define REQUEST_GET_DESCRIPTOR 0x06
#define REQUEST_SET_IDLE       0x0A
#define REQUEST_SET_PROTOCOL   0x0B
#define DESCRIPTOR_REPORT      0x22
#define TYPE_STANDARD_IN_IFACE 0x81
#define TYPE_CLASS_OUT_IFACE   0x21

/* A log line that may come often: at most one a second, with a count. */
typedef struct log_limit {
    uint64_t logged_at;
    unsigned waiting; /* happened since the last line */
} log_limit;

typedef struct scanner {
    scan_decoder decoder;
    scan_mode mode;
    scan_event *spare; /* where the next scan is decoded; handed on when accepted */
    uint8_t report[SCAN_REPORT_MAX];
    int link_failures;
    bool refused_shown; /* the status says "code-refused" */
    uint64_t refused_at;
    bool have_last; /* the code delivered last, for repeats: a hash, never the data */
    uint64_t last_hash, last_at;
    log_limit drops, refusals;
} scanner;

/* Scans handed on and not yet released, across every scanner: they are what
 * a storm would pile up. */
static atomic_uint in_flight;
static atomic_ulong dropped;

static const usb_id scanner_ids[] = {
    {0x0c2e, 0x0b8f}, /* Honeywell Voyager 1400g, HID POS */
    {0x067e, 0x0809}, /* Intermec (Honeywell) SG20, HID POS */
    {0x0c2e, 0x1001}, /* Honeywell scanners, USB keyboard */
    {0x05e0, 0x1200}, /* Symbol (Zebra), HID keyboard emulation */
    {0x1209, 0x000a}, /* the simulated scanner (drivers/sim/scanner_sim.h) */
    {0x1209, 0x000b}, /* the same, as a keyboard */
};

#define ID_COUNT (sizeof scanner_ids / sizeof scanner_ids[0])

/* The mode of each id above, for a scanner that gives no report descriptor. */
static const scan_mode id_modes[] = {
    SCAN_MODE_HID_POS, SCAN_MODE_HID_POS, SCAN_MODE_WEDGE,
    SCAN_MODE_WEDGE,   SCAN_MODE_HID_POS, SCAN_MODE_WEDGE,
};

_Static_assert(sizeof id_modes / sizeof id_modes[0] == ID_COUNT, "one mode per id");

unsigned scanner_scans_in_flight(void)
{
    return atomic_load(&in_flight);
}

unsigned long scanner_scans_dropped(void)
{
    return atomic_load(&dropped);
}

static scan_mode mode_of_id(usb_id id)
{
    for (size_t i = 0; i < ID_COUNT; i++) {
        if (scanner_ids[i].vendor == id.vendor && scanner_ids[i].product == id.product)
            return id_modes[i];
    }
    return SCAN_MODE_UNKNOWN;
}

/* The main thread is done with a scan. */
static void scan_release(void *payload)
{
    scan_event_wipe(payload);
    free(payload);
    atomic_fetch_sub(&in_flight, 1);
}

static bool take_flight_slot(void)
{
    unsigned count = atomic_load(&in_flight);
    do {
        if (count >= SCANNER_MAX_IN_FLIGHT)
            return false;
    } while (!atomic_compare_exchange_weak(&in_flight, &count, count + 1));
    return true;
}

static uint64_t hash_of(const scan_event *event)
{
    uint64_t hash = 0xcbf29ce484222325u; /* FNV-1a */
    for (size_t i = 0; i < event->length; i++)
        hash = (hash ^ (uint8_t)event->data[i]) * 0x100000001b3u;
    return hash ^ (uint64_t)event->length;
}

static void flush_drops(scanner *s, uint64_t now, bool force)
{
    if (s->drops.waiting == 0 || (!force && now - s->drops.logged_at < LOG_EVERY_MS))
        return;
    LOG_WARN("scanner", "%u scans dropped: %u already wait for the app", s->drops.waiting,
             scanner_scans_in_flight());
    s->drops.waiting = 0;
    s->drops.logged_at = now;
}

static void refused(device_handle *handle, const scan_refusal *refusal)
{
    scanner *s = device_context(handle);
    uint64_t now = monotonic_now_ms();
    if (now - s->refusals.logged_at >= LOG_EVERY_MS) {
        /* The reason, the length and four printable bytes: never the code,
         * which may hold an ID number (the log masks numbers besides). */
        LOG_WARN("scanner", "a scan was refused (%s): %zu bytes, beginning \"%s\"%s",
                 scan_reject_name(refusal->reason), refusal->length, refusal->preview,
                 s->refusals.waiting ? " (and more since the last line)" : "");
        s->refusals.logged_at = now;
        s->refusals.waiting = 0;
    } else {
        s->refusals.waiting++;
    }
    s->have_last = false;
    s->refused_shown = true;
    s->refused_at = now;
    device_report(handle, DEVICE_USER_ERROR, DEVICE_SUPPLY_NONE, "code-refused");
}

static void accepted(device_handle *handle)
{
    scanner *s = device_context(handle);
    scan_event *event = s->spare;
    uint64_t now = monotonic_now_ms();
    uint64_t hash = hash_of(event);
    if (s->have_last && hash == s->last_hash && now - s->last_at < REPEAT_MS) {
        s->last_at = now; /* still held under the scanner */
        scan_event_wipe(event);
        return;
    }
    if (!take_flight_slot()) {
        scan_event_wipe(event);
        atomic_fetch_add(&dropped, 1);
        s->drops.waiting++;
        flush_drops(s, now, false);
        return;
    }
    s->spare = NULL;
    s->have_last = true;
    s->last_hash = hash;
    s->last_at = now;
    LOG_INFO("scanner", "scan read: %s, %zu bytes", event->symbology, event->length);
    /* On failure the release ran already (and gave the slot back). */
    if (device_deliver(handle, event, scan_release) != KIOSK_OK) {
        LOG_WARN("scanner", "a scan could not be handed on: the event queue is full");
        s->have_last = false;
        return;
    }
    if (s->refused_shown) {
        s->refused_shown = false;
        device_report(handle, DEVICE_ONLINE, DEVICE_SUPPLY_NONE, "ready");
    }
}

/* One input report: everything it completes is delivered or refused. */
static void take_report(device_handle *handle, const uint8_t *report, size_t length)
{
    scanner *s = device_context(handle);
    /* A keyboard in report protocol puts its report ID first. */
    if (s->mode == SCAN_MODE_WEDGE && length == SCAN_WEDGE_REPORT_LENGTH + 1) {
        report++;
        length--;
    }
    scan_decoder_push(&s->decoder, report, length);
    for (;;) {
        if (!s->spare)
            s->spare = malloc(sizeof *s->spare);
        if (!s->spare) {
            LOG_WARN("scanner", "no memory for a scan: it is dropped");
            scan_decoder_reset(&s->decoder);
            return;
        }
        scan_refusal refusal;
        scan_status status = scan_decoder_next(&s->decoder, s->spare, &refusal);
        if (status == SCAN_NONE)
            return;
        if (status == SCAN_REJECTED)
            refused(handle, &refusal);
        else
            accepted(handle);
    }
}

static int link_failed(device_handle *handle, kiosk_error error)
{
    scanner *s = device_context(handle);
    scan_decoder_reset(&s->decoder); /* a scan cut by a failed read is not kept */
    LOG_WARN("scanner", "read failed: %s (%d in a row)", kiosk_error_name(error),
             s->link_failures + 1);
    if (++s->link_failures >= LINK_RETRIES) {
        device_report(handle, DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_NONE, "not-answering");
        return FAULT_RETRY_MS;
    }
    return LINK_RETRY_MS;
}

static int scanner_step(device_handle *handle)
{
    scanner *s = device_context(handle);
    uint64_t now = monotonic_now_ms();
    flush_drops(s, now, false);
    if (s->refused_shown && now - s->refused_at >= REFUSED_SHOW_MS) {
        s->refused_shown = false;
        device_report(handle, DEVICE_ONLINE, DEVICE_SUPPLY_NONE, "ready");
    }
    unsigned timeout = scan_decoder_busy(&s->decoder) ? READ_GAP_MS : READ_IDLE_MS;
    size_t got = 0;
    kiosk_error result =
        usb_transfer(device_usb(handle), ENDPOINT_IN, s->report, sizeof s->report, &got, timeout);
    if (result == KIOSK_ERR_NO_DEVICE) {
        scan_decoder_reset(&s->decoder); /* unplugged mid-scan: nothing of it is kept */
        explicit_bzero(s->report, sizeof s->report);
        return -KIOSK_ERR_NO_DEVICE;
    }
    if (result != KIOSK_OK && result != KIOSK_ERR_TIMEOUT)
        return link_failed(handle, result);
    if (s->link_failures >= LINK_RETRIES)
        device_report(handle, DEVICE_ONLINE, DEVICE_SUPPLY_NONE, "ready");
    s->link_failures = 0;
    if (got > 0) {
        take_report(handle, s->report, got);
        explicit_bzero(s->report, got);
    } else {
        scan_refusal refusal;
        if (scan_decoder_idle(&s->decoder, &refusal) == SCAN_REJECTED)
            refused(handle, &refusal);
    }
    return 0;
}

/* Which mode the interface is in: its report descriptor says, else its id. */
static kiosk_error detect_mode(device_handle *handle, scan_mode *mode)
{
    usb_device *usb = device_usb(handle);
    uint8_t descriptor[DESCRIPTOR_MAX];
    size_t got = 0;
    kiosk_error result =
        usb_control(usb, TYPE_STANDARD_IN_IFACE, REQUEST_GET_DESCRIPTOR, DESCRIPTOR_REPORT << 8,
                    INTERFACE, descriptor, sizeof descriptor, &got, CONTROL_MS);
    if (result == KIOSK_ERR_NO_DEVICE)
        return result;
    if (result == KIOSK_OK) {
        *mode = scan_mode_of_report_descriptor(descriptor, got);
        if (*mode == SCAN_MODE_UNKNOWN)
            LOG_WARN("scanner",
                     "%04x:%04x is neither a HID POS scanner nor a keyboard "
                     "(%zu-byte report descriptor)",
                     usb->id.vendor, usb->id.product, got);
        return KIOSK_OK;
    }
    *mode = mode_of_id(usb->id);
    LOG_INFO("scanner", "%04x:%04x gave no report descriptor (%s): taken as %s by its id",
             usb->id.vendor, usb->id.product, kiosk_error_name(result), scan_mode_name(*mode));
    return KIOSK_OK;
}

static kiosk_error scanner_open(device_handle *handle)
{
    scanner *s = device_context(handle);
    usb_device *usb = device_usb(handle);
    kiosk_error result = detect_mode(handle, &s->mode);
    if (result != KIOSK_OK)
        return result;
    if (s->mode == SCAN_MODE_UNKNOWN) {
        device_report(handle, DEVICE_HARDWARE_ERROR, DEVICE_SUPPLY_NONE, "wrong-mode");
        return KIOSK_ERR_UNSUPPORTED;
    }
    if (s->mode == SCAN_MODE_WEDGE) {
        /* The boot protocol's 8-byte reports, sent only when keys change. A
         * scanner without them stalls; its reports are taken as they come. */
        size_t moved = 0;
        result = usb_control(usb, TYPE_CLASS_OUT_IFACE, REQUEST_SET_PROTOCOL, 0, INTERFACE, NULL, 0,
                             &moved, CONTROL_MS);
        if (result == KIOSK_OK || result == KIOSK_ERR_IO)
            result = usb_control(usb, TYPE_CLASS_OUT_IFACE, REQUEST_SET_IDLE, 0, INTERFACE, NULL, 0,
                                 &moved, CONTROL_MS);
        if (result == KIOSK_ERR_NO_DEVICE)
            return result;
    }
    /* GBK is a superset for this purpose: valid UTF-8 passes as it is. */
    scan_config config = {.mode = s->mode,
                          .code_page = SCAN_CODE_PAGE_GBK,
                          .terminators = SCAN_END_ENTER,
                          .max_length = SCAN_MAX_LENGTH};
    scan_decoder_init(&s->decoder, &config);
    LOG_INFO("scanner", "%04x:%04x reads codes in %s mode", usb->id.vendor, usb->id.product,
             scan_mode_name(s->mode));
    device_report(handle, DEVICE_ONLINE, DEVICE_SUPPLY_NONE, "ready");
    return KIOSK_OK;
}

static void scanner_close(device_handle *handle)
{
    scanner *s = device_context(handle);
    flush_drops(s, monotonic_now_ms(), true);
    scan_decoder_reset(&s->decoder);
    if (s->spare) {
        scan_event_wipe(s->spare);
        free(s->spare);
        s->spare = NULL;
    }
}

const device_driver scanner_driver = {
    .name = "scanner-hid",
    .kind = DEVICE_SCANNER,
    .match = {.transport = DEVICE_TRANSPORT_USB,
              .usb = {.ids = scanner_ids, .id_count = ID_COUNT, .interface = INTERFACE}},
    .context_size = sizeof(scanner),
    .open = scanner_open,
    .step = scanner_step,
    .close = scanner_close};
