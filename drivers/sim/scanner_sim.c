/* The simulated scanner. A scan is turned into the reports a real scanner
 * sends as soon as it is queued, and the reports leave one per read of the
 * interrupt endpoint, so the driver's reassembly, key edges and Alt+numpad
 * entry are exercised as on hardware. */
#include "drivers/sim/scanner_sim.h"

#include "drivers/scanner/scan_decode.h"
#include "drivers/sim/simulation.h"
#include "drivers/usb_sim.h"
#include "firmware/base/log.h"

#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define INTERFACE_CLASS_HID 0x03

/* Boot keyboard bits and keys (HID Usage Tables, 10). */
#define MOD_CTRL      0x01
#define MOD_SHIFT     0x02
#define MOD_ALT       0x04
#define KEY_A         0x04
#define KEY_1         0x1E
#define KEY_0         0x27
#define KEY_ENTER     0x28
#define KEY_ESCAPE    0x29
#define KEY_BACKSPACE 0x2A
#define KEY_TAB       0x2B
#define KEY_DELETE    0x4C
#define KEY_PAD_1     0x59
#define KEY_PAD_0     0x62

typedef struct sim_report {
    uint8_t length;
    uint8_t data[SCAN_REPORT_MAX];
} sim_report;

/* A list of reports (a scan being built, or the queue). */
typedef struct report_list {
    sim_report *items;
    size_t capacity, head, count; /* items[head .. head + count) */
} report_list;

typedef struct scanner_sim {
    usb_model base;
    pthread_mutex_t lock; /* controls come from other threads than the bus */
    scanner_sim_options options;
    report_list queue;
    unsigned long sent;
    void (*wake)(void *context);
    void *wake_context;
} scanner_sim;

/* A HID POS scanner's report descriptor: the Scanned Data Report of the
 * layout in drivers/scanner/scan_decode.h. */
static const uint8_t pos_descriptor[] = {
    0x05, 0x8C,       /* Usage Page (Bar Code Scanner) */
    0x09, 0x02,       /* Usage (Bar Code Scanner) */
    0xA1, 0x01,       /* Collection (Application) */
    0x09, 0x12,       /*   Usage (Scanned Data Report) */
    0xA1, 0x02,       /*   Collection (Logical) */
    0x85, 0x02,       /*     Report ID (2) */
    0x15, 0x00,       /*     Logical Minimum (0) */
    0x26, 0xFF, 0x00, /*     Logical Maximum (255) */
    0x75, 0x08,       /*     Report Size (8) */
    0x95, 0x01,       /*     Report Count (1) */
    0x05, 0x01,       /*     Usage Page (Generic Desktop) */
    0x09, 0x3B,       /*     Usage (Byte Count) */
    0x81, 0x02,       /*     Input (Data, Variable, Absolute) */
    0x05, 0x8C,       /*     Usage Page (Bar Code Scanner) */
    0x95, 0x03,       /*     Report Count (3) */
    0x09, 0xFB,       /*     Usage (Symbology Identifier 1) */
    0x09, 0xFC,       /*     Usage (Symbology Identifier 2) */
    0x09, 0xFD,       /*     Usage (Symbology Identifier 3) */
    0x81, 0x02,       /*     Input (Data, Variable, Absolute) */
    0x95, 0x38,       /*     Report Count (56) */
    0x09, 0xFE,       /*     Usage (Decoded Data) */
    0x82, 0x02, 0x01, /*     Input (Data, Variable, Absolute, Buffered Bytes) */
    0x95, 0x02,       /*     Report Count (2) */
    0x81, 0x03,       /*     Input (Constant): code id, reserved */
    0x75, 0x01,       /*     Report Size (1) */
    0x95, 0x01,       /*     Report Count (1) */
    0x25, 0x01,       /*     Logical Maximum (1) */
    0x09, 0xFF,       /*     Usage (Decode Data Continued) */
    0x81, 0x02,       /*     Input (Data, Variable, Absolute) */
    0x95, 0x07,       /*     Report Count (7) */
    0x81, 0x03,       /*     Input (Constant): padding */
    0xC0,             /*   End Collection */
    0xC0,             /* End Collection */
};

/* The boot keyboard's report descriptor (HID 1.11, appendix B.1). */
static const uint8_t keyboard_descriptor[] = {
    0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x15, 0x00, 0x25, 0x01,
    0x75, 0x01, 0x95, 0x08, 0x81, 0x02, 0x95, 0x01, 0x75, 0x08, 0x81, 0x01, 0x95, 0x05, 0x75, 0x01,
    0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x91, 0x02, 0x95, 0x01, 0x75, 0x03, 0x91, 0x01, 0x95, 0x06,
    0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00, 0xC0,
};

/* A vendor-defined interface: neither mode. */
static const uint8_t vendor_descriptor[] = {
    0x06, 0x00, 0xFF, 0x09, 0x01, 0xA1, 0x01, 0x15, 0x00, 0x26, 0xFF,
    0x00, 0x75, 0x08, 0x95, 0x40, 0x09, 0x01, 0x81, 0x02, 0xC0,
};

static scanner_sim *sim_of(usb_model *model)
{
    return (scanner_sim *)model;
}

static void list_free(report_list *list)
{
    if (list->items)
        explicit_bzero(list->items, list->capacity * sizeof *list->items);
    free(list->items);
    *list = (report_list){0};
}

/* Room for more reports at the end; the old array is wiped, not just freed
 * (a scan may be a made-up citizen's code, but still). */
static kiosk_error list_reserve(report_list *list, size_t more)
{
    if (list->head + list->count + more <= list->capacity)
        return KIOSK_OK;
    size_t needed = list->count + more;
    if (needed > SCANNER_SIM_QUEUE_MAX / sizeof(sim_report) + 1)
        return KIOSK_ERR_BUSY;
    size_t capacity = list->capacity ? list->capacity : 64;
    while (capacity < needed)
        capacity *= 2;
    sim_report *items = malloc(capacity * sizeof *items);
    if (!items)
        return KIOSK_ERR_NO_MEMORY;
    if (list->count)
        memcpy(items, list->items + list->head, list->count * sizeof *items);
    if (list->items)
        explicit_bzero(list->items, list->capacity * sizeof *list->items);
    free(list->items);
    list->items = items;
    list->capacity = capacity;
    list->head = 0;
    return KIOSK_OK;
}

static kiosk_error list_add(report_list *list, const uint8_t *data, size_t length)
{
    kiosk_error result = list_reserve(list, 1);
    if (result != KIOSK_OK)
        return result;
    sim_report *report = &list->items[list->head + list->count++];
    memset(report, 0, sizeof *report);
    report->length = (uint8_t)length;
    memcpy(report->data, data, length);
    return KIOSK_OK;
}

/* A keyboard report with these modifiers and one key (0: none). */
static kiosk_error keys(report_list *list, uint8_t modifiers, uint8_t key)
{
    const uint8_t report[SCAN_WEDGE_REPORT_LENGTH] = {modifiers, 0, key, 0, 0, 0, 0, 0};
    return list_add(list, report, sizeof report);
}

/* A key pressed and let go. */
static kiosk_error type_key(report_list *list, uint8_t modifiers, uint8_t key)
{
    kiosk_error result = keys(list, modifiers, key);
    return result == KIOSK_OK ? keys(list, 0, 0) : result;
}

/* value typed on the keypad with Alt held; digits 4 gives Alt+0nnn. */
static kiosk_error type_alt_code(report_list *list, unsigned value, int digits)
{
    char text[8];
    int n = 0;
    for (unsigned v = value; n == 0 || v > 0; v /= 10)
        text[n++] = (char)('0' + v % 10);
    while (n < digits)
        text[n++] = '0';
    kiosk_error result = keys(list, MOD_ALT, 0);
    for (int i = n - 1; result == KIOSK_OK && i >= 0; i--) {
        uint8_t digit = (uint8_t)(text[i] - '0');
        result = keys(list, MOD_ALT, digit == 0 ? KEY_PAD_0 : (uint8_t)(KEY_PAD_1 + digit - 1));
        if (result == KIOSK_OK)
            result = keys(list, MOD_ALT, 0);
    }
    return result == KIOSK_OK ? keys(list, 0, 0) : result;
}

/* The key (and modifiers) that types an ASCII byte on a US keyboard, the
 * way scanners type control bytes; false for bytes over 0x7F. */
static bool ascii_key(uint8_t c, uint8_t *modifiers, uint8_t *key)
{
    static const char shifted_digits[] = ")!@#$%^&*(";
    static const char plain[] = " -=[]\\;'`,./";
    static const char shifted[] = " _+{}|:\"~<>?";
    static const uint8_t symbol_keys[] = {0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x31,
                                          0x33, 0x34, 0x35, 0x36, 0x37, 0x38};
    *modifiers = 0;
    if (c >= 'a' && c <= 'z') {
        *key = (uint8_t)(KEY_A + c - 'a');
    } else if (c >= 'A' && c <= 'Z') {
        *modifiers = MOD_SHIFT;
        *key = (uint8_t)(KEY_A + c - 'A');
    } else if (c >= '1' && c <= '9') {
        *key = (uint8_t)(KEY_1 + c - '1');
    } else if (c == '0') {
        *key = KEY_0;
    } else if (c == '\t' || c == '\r' || c == '\b' || c == 0x1B || c == 0x7F) {
        *key = c == '\t'   ? KEY_TAB
               : c == '\r' ? KEY_ENTER
               : c == '\b' ? KEY_BACKSPACE
               : c == 0x1B ? KEY_ESCAPE
                           : KEY_DELETE;
    } else if (c < 0x20) {
        /* Ctrl + ASCII: ^@ is Ctrl+2, ^A..^Z Ctrl+letter, then ^\ ^] ^^ ^_. */
        static const uint8_t tail_keys[] = {0x31, 0x30, 0x23, 0x2D};
        static const uint8_t tail_shift[] = {0, 0, MOD_SHIFT, MOD_SHIFT};
        *modifiers = MOD_CTRL;
        if (c == 0)
            *key = (uint8_t)(KEY_1 + 1);
        else if (c <= 0x1A)
            *key = (uint8_t)(KEY_A + c - 1);
        else {
            *key = tail_keys[c - 0x1C];
            *modifiers |= tail_shift[c - 0x1C];
        }
    } else if (c < 0x80) {
        const char *at = strchr(shifted_digits, (char)c);
        if (at) {
            *modifiers = MOD_SHIFT;
            *key = at == shifted_digits ? KEY_0 : (uint8_t)(KEY_1 + (at - shifted_digits) - 1);
            return true;
        }
        at = strchr(plain, (char)c);
        if (at) {
            *key = symbol_keys[at - plain];
            return true;
        }
        at = strchr(shifted, (char)c);
        if (!at)
            return false;
        *modifiers = MOD_SHIFT;
        *key = symbol_keys[at - shifted];
    } else {
        return false;
    }
    return true;
}

static kiosk_error type_ascii(report_list *list, const uint8_t *data, size_t length)
{
    kiosk_error result = KIOSK_OK;
    for (size_t i = 0; result == KIOSK_OK && i < length; i++) {
        uint8_t modifiers, key;
        if (ascii_key(data[i], &modifiers, &key))
            result = type_key(list, modifiers, key);
        else
            result = type_alt_code(list, data[i], 4);
    }
    return result;
}

/* GBK: a double byte as one Alt code; GB18030's four-byte forms and stray
 * bytes one byte at a time. */
static kiosk_error type_gbk(report_list *list, const uint8_t *data, size_t length)
{
    kiosk_error result = KIOSK_OK;
    for (size_t i = 0; result == KIOSK_OK && i < length; i++) {
        uint8_t c = data[i];
        bool pair = c >= 0x81 && c <= 0xFE && i + 1 < length && data[i + 1] >= 0x40 &&
                    data[i + 1] != 0x7F && data[i + 1] != 0xFF;
        if (c < 0x80)
            result = type_ascii(list, data + i, 1);
        else if (pair) {
            result = type_alt_code(list, (unsigned)c << 8 | data[i + 1], 0);
            i++;
        } else
            result = type_alt_code(list, c, 4);
    }
    return result;
}

static kiosk_error to_gbk(const uint8_t *data, size_t length, uint8_t **out, size_t *out_length)
{
    iconv_t converter = iconv_open("GB18030", "UTF-8");
    if (converter == (iconv_t)-1)
        return KIOSK_ERR_UNSUPPORTED;
    size_t capacity = length * 2 + 4;
    uint8_t *gbk = malloc(capacity);
    if (!gbk) {
        iconv_close(converter);
        return KIOSK_ERR_NO_MEMORY;
    }
    char *in = (char *)data, *at = (char *)gbk;
    size_t in_left = length, out_left = capacity;
    size_t converted = iconv(converter, &in, &in_left, &at, &out_left);
    iconv_close(converter);
    if (converted == (size_t)-1) {
        free(gbk);
        return KIOSK_ERR_MALFORMED;
    }
    *out = gbk;
    *out_length = capacity - out_left;
    return KIOSK_OK;
}

static kiosk_error build_wedge(const scanner_sim_options *options, const char *aim,
                               const uint8_t *data, size_t length, report_list *list)
{
    kiosk_error result = KIOSK_OK;
    if (options->aim_prefix && aim && aim[0])
        result = type_ascii(list, (const uint8_t *)aim, strlen(aim));
    if (result == KIOSK_OK && options->gbk) {
        uint8_t *gbk = NULL;
        size_t gbk_length = 0;
        result = to_gbk(data, length, &gbk, &gbk_length);
        if (result == KIOSK_OK) {
            result = type_gbk(list, gbk, gbk_length);
            explicit_bzero(gbk, gbk_length);
            free(gbk);
        }
    } else if (result == KIOSK_OK) {
        result = type_ascii(list, data, length);
    }
    return result == KIOSK_OK ? type_key(list, 0, KEY_ENTER) : result;
}

static kiosk_error build_pos(const char *aim, const uint8_t *data, size_t length, report_list *list)
{
    size_t at = 0;
    kiosk_error result = KIOSK_OK;
    do {
        uint8_t report[SCAN_HIDPOS_REPORT_LENGTH] = {SCAN_HIDPOS_REPORT_ID};
        size_t n = length - at < SCAN_HIDPOS_DATA_MAX ? length - at : SCAN_HIDPOS_DATA_MAX;
        report[1] = (uint8_t)n;
        if (aim && strlen(aim) == 3)
            memcpy(report + 2, aim, 3);
        memcpy(report + SCAN_HIDPOS_DATA_OFFSET, data + at, n);
        at += n;
        if (at < length)
            report[SCAN_HIDPOS_FLAGS_OFFSET] = SCAN_HIDPOS_MORE;
        result = list_add(list, report, sizeof report);
        explicit_bzero(report, sizeof report);
    } while (result == KIOSK_OK && at < length);
    return result;
}

/* Moves the reports of list to the end of the queue, then wakes the bus. */
static kiosk_error enqueue(scanner_sim *sim, report_list *list)
{
    pthread_mutex_lock(&sim->lock);
    kiosk_error result = list_reserve(&sim->queue, list->count);
    if (result == KIOSK_OK) {
        memcpy(sim->queue.items + sim->queue.head + sim->queue.count, list->items + list->head,
               list->count * sizeof *list->items);
        sim->queue.count += list->count;
    }
    void (*wake)(void *) = sim->wake;
    void *context = sim->wake_context;
    pthread_mutex_unlock(&sim->lock);
    list_free(list);
    if (result == KIOSK_OK && wake)
        wake(context);
    return result;
}

kiosk_error scanner_sim_scan(usb_model *scanner, const char *aim, const uint8_t *data,
                             size_t length)
{
    scanner_sim *sim = sim_of(scanner);
    pthread_mutex_lock(&sim->lock);
    scanner_sim_options options = sim->options;
    pthread_mutex_unlock(&sim->lock);
    report_list list = {0};
    kiosk_error result = options.mode == SCAN_MODE_WEDGE
                             ? build_wedge(&options, aim, data, length, &list)
                             : build_pos(aim, data, length, &list);
    if (result != KIOSK_OK) {
        list_free(&list);
        return result;
    }
    return enqueue(sim, &list);
}

kiosk_error scanner_sim_inject(usb_model *scanner, const uint8_t *report, size_t length)
{
    if (length == 0 || length > SCAN_REPORT_MAX)
        return KIOSK_ERR_INVALID_ARGUMENT;
    report_list list = {0};
    kiosk_error result = list_add(&list, report, length);
    if (result != KIOSK_OK) {
        list_free(&list);
        return result;
    }
    return enqueue(sim_of(scanner), &list);
}

void scanner_sim_set_waker(usb_model *scanner, void (*wake)(void *context), void *context)
{
    scanner_sim *sim = sim_of(scanner);
    pthread_mutex_lock(&sim->lock);
    sim->wake = wake;
    sim->wake_context = context;
    pthread_mutex_unlock(&sim->lock);
}

size_t scanner_sim_queued(usb_model *scanner)
{
    scanner_sim *sim = sim_of(scanner);
    pthread_mutex_lock(&sim->lock);
    size_t count = sim->queue.count;
    pthread_mutex_unlock(&sim->lock);
    return count;
}

static kiosk_error sim_send(usb_model *model, uint8_t endpoint, uint8_t *data, size_t capacity,
                            size_t *length)
{
    scanner_sim *sim = sim_of(model);
    *length = 0;
    if (endpoint != SCANNER_SIM_ENDPOINT_IN)
        return KIOSK_ERR_IO;
    pthread_mutex_lock(&sim->lock);
    if (sim->queue.count > 0) {
        sim_report *report = &sim->queue.items[sim->queue.head];
        size_t n = report->length < capacity ? report->length : capacity;
        memcpy(data, report->data, n);
        explicit_bzero(report, sizeof *report);
        sim->queue.head++;
        if (--sim->queue.count == 0)
            sim->queue.head = 0;
        sim->sent++;
        *length = n;
    }
    pthread_mutex_unlock(&sim->lock);
    return KIOSK_OK;
}

/* GET_DESCRIPTOR (report) and the keyboard's SET_PROTOCOL and SET_IDLE. */
static kiosk_error sim_control(usb_model *model, uint8_t request_type, uint8_t request,
                               uint16_t value, uint16_t index, uint8_t *data, uint16_t length,
                               size_t *transferred)
{
    scanner_sim *sim = sim_of(model);
    *transferred = 0;
    pthread_mutex_lock(&sim->lock);
    scanner_sim_options options = sim->options;
    pthread_mutex_unlock(&sim->lock);
    if (index != 0)
        return KIOSK_ERR_IO;
    if (request_type == 0x81 && request == 0x06 && value == 0x2200) {
        const uint8_t *descriptor =
            options.mode == SCAN_MODE_WEDGE ? keyboard_descriptor : pos_descriptor;
        size_t size =
            options.mode == SCAN_MODE_WEDGE ? sizeof keyboard_descriptor : sizeof pos_descriptor;
        if (options.descriptor == SCANNER_SIM_DESCRIPTOR_NONE)
            return KIOSK_ERR_IO;
        if (options.descriptor == SCANNER_SIM_DESCRIPTOR_VENDOR) {
            descriptor = vendor_descriptor;
            size = sizeof vendor_descriptor;
        }
        size_t n = size < length ? size : length;
        memcpy(data, descriptor, n);
        *transferred = n;
        return KIOSK_OK;
    }
    bool keyboard_request = request_type == 0x21 && (request == 0x0A || request == 0x0B);
    if (keyboard_request && options.mode == SCAN_MODE_WEDGE)
        return KIOSK_OK;
    return KIOSK_ERR_IO;
}

static void sim_destroy(usb_model *model)
{
    scanner_sim *sim = sim_of(model);
    list_free(&sim->queue);
    pthread_mutex_destroy(&sim->lock);
    explicit_bzero(sim, sizeof *sim);
    free(sim);
}

static const usb_model_ops scanner_sim_ops = {
    .send = sim_send, .control = sim_control, .destroy = sim_destroy};

usb_model *scanner_sim_create(const scanner_sim_options *options)
{
    scanner_sim *sim = calloc(1, sizeof *sim);
    if (!sim)
        return NULL;
    if (options)
        sim->options = *options;
    if (sim->options.mode != SCAN_MODE_WEDGE)
        sim->options.mode = SCAN_MODE_HID_POS;
    bool wedge = sim->options.mode == SCAN_MODE_WEDGE;
    sim->base = (usb_model){
        .ops = &scanner_sim_ops,
        .id = {SCANNER_SIM_VENDOR, wedge ? SCANNER_SIM_PRODUCT_WEDGE : SCANNER_SIM_PRODUCT_HID_POS},
        .interface = 0,
        .interface_class = INTERFACE_CLASS_HID,
        .endpoint_interrupt_in = SCANNER_SIM_ENDPOINT_IN};
    pthread_mutex_init(&sim->lock, NULL);
    return &sim->base;
}

static void wake_bus(void *bus)
{
    usb_sim_wake(bus);
}

static usb_model *simulator_create(usb_bus *bus)
{
    usb_model *model = scanner_sim_create(NULL);
    if (model)
        scanner_sim_set_waker(model, wake_bus, bus);
    return model;
}

/* s shows the scanner the last tracking number the terminal showed (or a
 * made-up one); e a made-up citizen's e-ID code, which the platform
 * stand-in knows. */
static bool simulator_key(const simulation_keys *keys, int key)
{
    if (key != 's' && key != 'e')
        return false;
    const char *code = key == 'e'               ? "CTID:DEMO-0001"
                       : keys->last_tracking[0] ? keys->last_tracking
                                                : "GD20261122000001";
    if (scanner_sim_scan(keys->model, "]Q1", (const uint8_t *)code, strlen(code)) != KIOSK_OK)
        LOG_WARN("sim", "simulated scanner: the scan was not queued");
    else
        LOG_INFO("sim", "simulated scanner: a code shown");
    return true;
}

const device_simulator scanner_simulator = {.create = simulator_create, .key = simulator_key};
