/* The service catalog: which services this hall offers, in every language.
 *
 * Services are data. The platform sends the catalog; the firmware ships a
 * sample (assets/catalog/sample.json) so it runs with no platform at all. Each
 * text is given per language; zh-CN is required and stands in for a missing
 * translation (logged, so a test or a technician can find it).
 */
#ifndef KIOSK_FIRMWARE_SERVICES_CATALOG_H
#define KIOSK_FIRMWARE_SERVICES_CATALOG_H

#include "firmware/base/error.h"
#include "firmware/base/lang.h"

#include <stdbool.h>
#include <stddef.h>

#define CATALOG_SERVICES_MAX 64
#define CATALOG_ID_MAX       48
#define CATALOG_NAME_MAX     96
#define CATALOG_SUMMARY_MAX  192
#define CATALOG_LABEL_MAX    96  /* a field's, a choice's, a material's label */
#define CATALOG_HELP_MAX     192 /* a field's help line */
#define CATALOG_STEPS_MAX    7
/* Per service, and shared by all the catalog's services (pools keep the
 * catalog small: most services have few fields). */
#define CATALOG_FIELDS_MAX    16
#define CATALOG_CHOICES_MAX   8
#define CATALOG_MATERIALS_MAX 12
#define CATALOG_ITEMS_MAX     6
#define CATALOG_FIELD_POOL    192
#define CATALOG_CHOICE_POOL   384
#define CATALOG_MATERIAL_POOL 160
#define CATALOG_ITEM_POOL     64

/* A service's next steps, bytes per language; the verification URL template. */
#define CATALOG_NEXT_STEPS_MAX 384
#define CATALOG_URL_MAX        200

typedef enum catalog_kind {
    CATALOG_KIND_SERVICE, /* one service */
    CATALOG_KIND_BUNDLE,  /* an "一件事" bundle: several departments' items, one form */
} catalog_kind;

typedef enum catalog_start {
    CATALOG_START_IDENTIFY, /* the citizen identifies first (card, or the number typed) */
    CATALOG_START_SCAN,     /* a code is shown to the scanner first (a tracking number) */
} catalog_start;

/* Who the citizen must show they are before the service starts. */
typedef enum catalog_identity {
    CATALOG_IDENTITY_NONE,
    CATALOG_IDENTITY_ID_CARD,
    CATALOG_IDENTITY_ID_CARD_OR_EID, /* the card, or an e-ID code shown to the scanner */
} catalog_identity;

/* How sure the terminal must be of who the citizen is. A typed ID number is
 * a claim: the number is printed on countless documents. The card, or an
 * e-ID the platform verified, is proof. */
typedef enum catalog_assurance {
    CATALOG_ASSURANCE_CLAIMED,  /* the number typed will do: an application the platform checks */
    CATALOG_ASSURANCE_VERIFIED, /* the card or a verified e-ID only */
} catalog_assurance;

/* What the service does while the platform cannot be reached. */
typedef enum catalog_offline {
    CATALOG_OFFLINE_QUEUE,  /* accept, keep in the outbox, send when the link returns */
    CATALOG_OFFLINE_CACHE,  /* answer from cached data, saying how old it is */
    CATALOG_OFFLINE_ONLINE, /* cannot: said on the tile and before the citizen starts */
} catalog_offline;

/* A service's steps, in the only order they may come. */
typedef enum catalog_step {
    CATALOG_STEP_IDENTIFY,
    CATALOG_STEP_FORM,
    CATALOG_STEP_MATERIALS,
    CATALOG_STEP_CONFIRM,
    CATALOG_STEP_SUBMIT,
    CATALOG_STEP_PRINT,
    CATALOG_STEP_RATE,
} catalog_step;

typedef enum catalog_prints {
    CATALOG_PRINTS_NONE,
    CATALOG_PRINTS_RECEIPT, /* 受理凭条: the facts and a code to follow progress */
    CATALOG_PRINTS_TICKET,  /* 取号凭条: a queue ticket */
} catalog_prints;

/* What the service hands the citizen besides a slip: a certificate the
 * platform issues as a PDF, previewed and printed on A4
 * (docs/certificates.md). */
typedef enum catalog_delivers {
    CATALOG_DELIVERS_NOTHING,
    CATALOG_DELIVERS_CERTIFICATE,
} catalog_delivers;

typedef enum catalog_field_type {
    CATALOG_FIELD_TEXT,
    CATALOG_FIELD_NUMBER,
    CATALOG_FIELD_PHONE,
    CATALOG_FIELD_DATE,
    CATALOG_FIELD_CHOICE,
    CATALOG_FIELD_ID_NUMBER,
    CATALOG_FIELD_ADDRESS,
    CATALOG_FIELD_SIGNATURE, /* drawn by a finger on a pad: kept as an image beside the flow */
} catalog_field_type;

/* Which of the ID card's facts fills a field. */
typedef enum catalog_prefill {
    CATALOG_PREFILL_NONE,
    CATALOG_PREFILL_NAME,
    CATALOG_PREFILL_ID_NUMBER,
    CATALOG_PREFILL_ADDRESS,
} catalog_prefill;

typedef struct catalog_choice {
    char id[CATALOG_ID_MAX];
    char label[LANG_COUNT][CATALOG_LABEL_MAX];
} catalog_choice;

typedef struct catalog_field {
    char id[CATALOG_ID_MAX];
    catalog_field_type type;
    char label[LANG_COUNT][CATALOG_LABEL_MAX];
    char help[LANG_COUNT][CATALOG_HELP_MAX]; /* "" for none */
    bool required;
    catalog_prefill prefill;
    int min_length, max_length;          /* digits of a number */
    bool not_after_today;                /* a date */
    unsigned choice_first, choice_count; /* in catalog.choices */
} catalog_field;

typedef struct catalog_material {
    char id[CATALOG_ID_MAX];
    char name[LANG_COUNT][CATALOG_LABEL_MAX];
    bool e_license; /* the platform fetches it from the e-licence library */
} catalog_material;

/* One department's item in a 一件事 bundle, fed by the bundle's one form. */
typedef struct catalog_item {
    char id[CATALOG_ID_MAX];
    char name[LANG_COUNT][CATALOG_LABEL_MAX];
    char department[LANG_COUNT][CATALOG_LABEL_MAX];
} catalog_item;

typedef struct catalog_service {
    char id[CATALOG_ID_MAX]; /* stable: [a-z0-9-] */
    catalog_kind kind;
    catalog_identity identity;
    /* It shows the citizen their own records (a balance, a register entry):
     * then only proof of identity opens it (assurance VERIFIED). */
    bool personal_data;
    catalog_assurance assurance;
    catalog_offline offline;
    catalog_start start;
    catalog_prints prints;
    catalog_step steps[CATALOG_STEPS_MAX];
    unsigned step_count;
    unsigned field_first, field_count;       /* in catalog.fields */
    unsigned material_first, material_count; /* in catalog.materials */
    unsigned item_first, item_count;         /* in catalog.items */
    char name[LANG_COUNT][CATALOG_NAME_MAX];
    char summary[LANG_COUNT][CATALOG_SUMMARY_MAX];
    /* What the citizen does after the result ("next_steps", per language):
     * what to bring, where, by when. Or "result_sent": true, nothing more to
     * do, the result is sent to them. A service that submits says one. */
    char next_steps[LANG_COUNT][CATALOG_NEXT_STEPS_MAX];
    bool result_sent;
    /* "delivers": a certificate (after identify, its submit step fetches,
     * shows and prints it): only to proof of identity, and only online. */
    catalog_delivers delivers;
    /* The tile's pictogram by name ("icon", optional: [a-z0-9_]); the UI
     * draws a name it does not know as its generic icon. "" none. */
    char icon[32];
} catalog_service;

typedef struct catalog {
    char version[64];
    char hall_name[LANG_COUNT][CATALOG_NAME_MAX];
    catalog_service services[CATALOG_SERVICES_MAX];
    size_t service_count;
    catalog_field fields[CATALOG_FIELD_POOL];
    catalog_choice choices[CATALOG_CHOICE_POOL];
    catalog_material materials[CATALOG_MATERIAL_POOL];
    catalog_item items[CATALOG_ITEM_POOL];
    unsigned field_used, choice_used, material_used, item_used;
    size_t missing_translations; /* texts that fell back to zh-CN */
    size_t hidden;               /* services left out as invalid (each logged) */
    char first_hidden[320];      /* why the first was: file, field, what was expected */
    /* hall.verify_url: the platform's public page for one application,
     * "https://.../{tracking}" (one placeholder), or "" when there is none:
     * then no progress code is shown, only the number. */
    char verify_url[CATALOG_URL_MAX];
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

/* The service cannot be done while the link is down: said before it starts. */
bool catalog_needs_link(const catalog_service *service);

/* The citizen may identify by typing their ID number (a claim, not proof). */
bool catalog_accepts_typed_number(const catalog_service *service);

/* Whether step is one of the service's. */
bool catalog_has_step(const catalog_service *service, catalog_step step);

/* The step's name in the catalog ("identify", "form", ...). */
const char *catalog_step_name(catalog_step step);

/* The service's field, material or bundle item number i (i < its count). */
const catalog_field *catalog_field_of(const catalog *catalog, const catalog_service *service,
                                      unsigned i);
const catalog_choice *catalog_choice_of(const catalog *catalog, const catalog_field *field,
                                        unsigned i);
const catalog_material *catalog_material_of(const catalog *catalog, const catalog_service *service,
                                            unsigned i);
const catalog_item *catalog_item_of(const catalog *catalog, const catalog_service *service,
                                    unsigned i);

/* The progress page of tracking: hall.verify_url with {tracking} replaced
 * by the number, percent-encoded. False (out "") when the catalog has no
 * template, the number is empty, or the URL would not fit. */
bool catalog_verify_url(const catalog *catalog, const char *tracking, char *out, size_t size);

#endif
