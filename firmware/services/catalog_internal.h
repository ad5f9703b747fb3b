/* Shared by catalog.c (the file, the services) and catalog_steps.c (a
 * service's steps, form, materials and bundle items). Not for other modules. */
#ifndef KIOSK_FIRMWARE_SERVICES_CATALOG_INTERNAL_H
#define KIOSK_FIRMWARE_SERVICES_CATALOG_INTERNAL_H

#include "firmware/base/json_fields.h"
#include "firmware/services/catalog.h"

/* Reads {"zh-CN": "...", "zh-TW": "...", "en": "..."} at object.name into
 * texts[LANG_COUNT][size]. zh-CN is required; the others fall back to it.
 * When optional, a missing member leaves the texts empty. */
kiosk_error catalog_load_texts(json_place place, const cJSON *object, const char *name, size_t size,
                               char *texts, bool optional, size_t *missing,
                               kiosk_diag *diag) KIOSK_MUST_CHECK;

bool catalog_id_is_valid(const char *id);

/* Reads a service's identity, offline mode, steps, form, materials, bundle
 * items and what it prints into service, taking room from the catalog's
 * pools (given back by the caller when the service is hidden). */
kiosk_error catalog_load_steps(json_place place, const cJSON *item, catalog *catalog,
                               catalog_service *service, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Reads a service's "next_steps" or "result_sent" (catalog_next.c). */
kiosk_error catalog_load_next_steps(json_place place, const cJSON *item, catalog *catalog,
                                    catalog_service *service, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Reads hall.verify_url, optional (catalog_next.c). */
kiosk_error catalog_load_verify_url(json_place place, const cJSON *hall, catalog *catalog,
                                    kiosk_diag *diag) KIOSK_MUST_CHECK;

#endif
