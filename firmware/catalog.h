/* The service catalog: which services this hall offers, in every language.
 *
 * Services are data. The platform sends the catalog; the firmware ships a
 * sample (assets/catalog/sample.json) so it runs with no platform at all. Each
 * text is given per language; zh-CN is required and stands in for a missing
 * translation (logged, so a test or a technician can find it).
 */
#ifndef KIOSK_FIRMWARE_CATALOG_H
#define KIOSK_FIRMWARE_CATALOG_H

#include "firmware/error.h"
#include "firmware/lang.h"

#include <stdbool.h>
#include <stddef.h>

#define CATALOG_SERVICES_MAX 64
#define CATALOG_ID_MAX       48
#define CATALOG_NAME_MAX     96
#define CATALOG_SUMMARY_MAX  192

typedef enum catalog_kind {
    CATALOG_KIND_SERVICE, /* one service */
    CATALOG_KIND_BUNDLE,  /* an "一件事" bundle: several services done as one */
} catalog_kind;

typedef enum catalog_start {
    CATALOG_START_IDENTIFY, /* the citizen identifies first (card, or the number typed) */
    CATALOG_START_SCAN,     /* a code is shown to the scanner first (a tracking number) */
} catalog_start;

typedef struct catalog_service {
    char id[CATALOG_ID_MAX]; /* stable: [a-z0-9-] */
    catalog_kind kind;
    bool needs_link; /* answers from the platform's live data: not offline */
    catalog_start start;
    char name[LANG_COUNT][CATALOG_NAME_MAX];
    char summary[LANG_COUNT][CATALOG_SUMMARY_MAX];
} catalog_service;

typedef struct catalog {
    char version[64];
    char hall_name[LANG_COUNT][CATALOG_NAME_MAX];
    catalog_service services[CATALOG_SERVICES_MAX];
    size_t service_count;
    size_t missing_translations; /* texts that fell back to zh-CN */
    size_t hidden;               /* services left out as invalid (each logged) */
    char first_hidden[320];      /* why the first was: file, field, what was expected */
} catalog;

/* Loads and validates the catalog at path into *out (caller-owned storage).
 * Errors: NOT_FOUND, IO, TOO_BIG, MALFORMED, with diag naming file and field. */
kiosk_error catalog_load(const char *path, catalog *out, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* The same from text that arrived from elsewhere (the platform): origin
 * names it in errors. Errors: TOO_BIG, MALFORMED. */
kiosk_error catalog_parse(const char *origin, const char *text, size_t length, catalog *out,
                          kiosk_diag *diag) KIOSK_MUST_CHECK;

/* The service with this id, or NULL. */
const catalog_service *catalog_find(const catalog *catalog, const char *id);

#endif
