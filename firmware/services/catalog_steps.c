/* A service's journey as data: who must identify, its steps, its form, the
 * materials it asks for, a bundle's items, what it prints and what it does
 * offline. Everything is checked here, so the flow engine can trust it: a
 * service that breaks a rule is hidden by the caller with this message. */
#include "firmware/services/catalog_internal.h"

#include <stdio.h>
#include <string.h>

static const char *const step_names[] = {
    [CATALOG_STEP_IDENTIFY] = "identify",   [CATALOG_STEP_FORM] = "form",
    [CATALOG_STEP_MATERIALS] = "materials", [CATALOG_STEP_CONFIRM] = "confirm",
    [CATALOG_STEP_SUBMIT] = "submit",       [CATALOG_STEP_PRINT] = "print",
    [CATALOG_STEP_RATE] = "rate",
};

static const char *const field_types[] = {
    [CATALOG_FIELD_TEXT] = "text",       [CATALOG_FIELD_NUMBER] = "number",
    [CATALOG_FIELD_PHONE] = "phone",     [CATALOG_FIELD_DATE] = "date",
    [CATALOG_FIELD_CHOICE] = "choice",   [CATALOG_FIELD_ID_NUMBER] = "id-number",
    [CATALOG_FIELD_ADDRESS] = "address", [CATALOG_FIELD_SIGNATURE] = "signature",
};

const char *catalog_step_name(catalog_step step)
{
    return (unsigned)step < sizeof step_names / sizeof step_names[0] ? step_names[step] : "?";
}

/* The member's string among names (an enum's spelling); -1 when absent
 * (and *absent set), -2 when it is none of them (diag set). */
static int pick(json_place place, const cJSON *object, const char *name, const char *const *names,
                size_t count, const char *expected, kiosk_diag *diag)
{
    const cJSON *member = cJSON_GetObjectItemCaseSensitive(object, name);
    if (!member)
        return -1;
    for (size_t i = 0; cJSON_IsString(member) && i < count; i++) {
        if (names[i] && strcmp(member->valuestring, names[i]) == 0)
            return (int)i;
    }
    kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s.%s: expected %s", place.file, place.path,
                   name, expected);
    return -2;
}

static kiosk_error optional_bool(json_place place, const cJSON *object, const char *name, bool *out,
                                 kiosk_diag *diag)
{
    const cJSON *member = cJSON_GetObjectItemCaseSensitive(object, name);
    if (member && !cJSON_IsBool(member))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s.%s: expected true or false",
                              place.file, place.path, name);
    *out = cJSON_IsTrue(member);
    return KIOSK_OK;
}

/* An optional array of at most max objects; *out NULL when absent. */
static kiosk_error optional_list(json_place place, const cJSON *object, const char *name, int max,
                                 const cJSON **out, kiosk_diag *diag)
{
    *out = cJSON_GetObjectItemCaseSensitive(object, name);
    if (!*out)
        return KIOSK_OK;
    if (!cJSON_IsArray(*out) || cJSON_GetArraySize(*out) > max)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s.%s: expected a list of at most %d",
                              place.file, place.path, name, max);
    const cJSON *entry = NULL;
    cJSON_ArrayForEach(entry, *out)
    {
        if (!cJSON_IsObject(entry))
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s.%s: expected objects",
                                  place.file, place.path, name);
    }
    return KIOSK_OK;
}

/* An entry's id: valid, and not used before among the count ids at
 * first (stride bytes apart). */
static kiosk_error entry_id(json_place place, const cJSON *entry, const char *first, size_t stride,
                            unsigned count, char *out, kiosk_diag *diag)
{
    const char *id = NULL;
    kiosk_error result = json_field_string(place, entry, "id", CATALOG_ID_MAX, &id, diag);
    if (result != KIOSK_OK)
        return result;
    if (!catalog_id_is_valid(id))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "%s: %s.id: \"%s\" may use only a-z, 0-9 and '-'", place.file,
                              place.path, id);
    for (unsigned i = 0; i < count; i++) {
        if (strcmp(first + i * stride, id) == 0)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s.id: \"%s\" appears twice",
                                  place.file, place.path, id);
    }
    json_copy_string(out, CATALOG_ID_MAX, id);
    return KIOSK_OK;
}

static kiosk_error pool_full(json_place place, const char *what, kiosk_diag *diag)
{
    return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                          "%s: %s: the catalog has more %s than the kiosk can hold", place.file,
                          place.path, what);
}

static kiosk_error load_choices(json_place place, const cJSON *entry, catalog *catalog,
                                catalog_field *field, kiosk_diag *diag)
{
    const cJSON *choices = NULL;
    kiosk_error result =
        optional_list(place, entry, "choices", CATALOG_CHOICES_MAX, &choices, diag);
    if (result != KIOSK_OK)
        return result;
    int count = choices ? cJSON_GetArraySize(choices) : 0;
    if (field->type != CATALOG_FIELD_CHOICE)
        return count == 0 ? KIOSK_OK
                          : kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                           "%s: %s.choices: only a choice field has choices",
                                           place.file, place.path);
    if (count < 2)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "%s: %s.choices: a choice field needs 2 to %d choices", place.file,
                              place.path, CATALOG_CHOICES_MAX);
    if (catalog->choice_used + (unsigned)count > CATALOG_CHOICE_POOL)
        return pool_full(place, "choices", diag);
    field->choice_first = catalog->choice_used;
    const cJSON *choice_json = NULL;
    cJSON_ArrayForEach(choice_json, choices)
    {
        char path[160];
        snprintf(path, sizeof path, "%s.choices[%u]", place.path, field->choice_count);
        json_place at = {place.file, path};
        catalog_choice *choice = &catalog->choices[field->choice_first + field->choice_count];
        memset(choice, 0, sizeof *choice);
        result = entry_id(at, choice_json, catalog->choices[field->choice_first].id,
                          sizeof(catalog_choice), field->choice_count, choice->id, diag);
        if (result == KIOSK_OK)
            result = catalog_load_texts(at, choice_json, "label", CATALOG_LABEL_MAX,
                                        &choice->label[0][0], false, &catalog->missing_translations,
                                        diag);
        if (result != KIOSK_OK)
            return result;
        field->choice_count++;
        catalog->choice_used++;
    }
    return KIOSK_OK;
}

/* Which types a prefill may fill: the card's name is text, its number an
 * ID number, its address an address. */
static bool prefill_fits(catalog_prefill prefill, catalog_field_type type)
{
    switch (prefill) {
    case CATALOG_PREFILL_NONE:
        return true;
    case CATALOG_PREFILL_NAME:
        return type == CATALOG_FIELD_TEXT;
    case CATALOG_PREFILL_ID_NUMBER:
        return type == CATALOG_FIELD_ID_NUMBER;
    case CATALOG_PREFILL_ADDRESS:
        return type == CATALOG_FIELD_ADDRESS;
    }
    return false;
}

static kiosk_error load_field(json_place at, const cJSON *entry, catalog *catalog,
                              catalog_field *field, kiosk_diag *diag)
{
    static const char *const prefills[] = {[CATALOG_PREFILL_NAME] = "name",
                                           [CATALOG_PREFILL_ID_NUMBER] = "id-number",
                                           [CATALOG_PREFILL_ADDRESS] = "address"};
    int type = pick(at, entry, "type", field_types, sizeof field_types / sizeof field_types[0],
                    "text, number, phone, date, choice, id-number, address or signature", diag);
    if (type == -1)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s.type: missing", at.file, at.path);
    if (type < 0)
        return KIOSK_ERR_MALFORMED;
    field->type = (catalog_field_type)type;
    int prefill = pick(at, entry, "prefill", prefills, sizeof prefills / sizeof prefills[0],
                       "name, id-number or address", diag);
    if (prefill == -2)
        return KIOSK_ERR_MALFORMED;
    field->prefill = prefill < 0 ? CATALOG_PREFILL_NONE : (catalog_prefill)prefill;
    if (!prefill_fits(field->prefill, field->type))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "%s: %s.prefill: the card's %s cannot fill a %s field", at.file,
                              at.path, prefills[field->prefill], field_types[field->type]);
    kiosk_error result =
        catalog_load_texts(at, entry, "label", CATALOG_LABEL_MAX, &field->label[0][0], false,
                           &catalog->missing_translations, diag);
    if (result == KIOSK_OK)
        result = catalog_load_texts(at, entry, "help", CATALOG_HELP_MAX, &field->help[0][0], true,
                                    &catalog->missing_translations, diag);
    if (result == KIOSK_OK)
        result = optional_bool(at, entry, "required", &field->required, diag);
    if (result == KIOSK_OK)
        result = optional_bool(at, entry, "not_after_today", &field->not_after_today, diag);
    if (result != KIOSK_OK)
        return result;
    field->min_length = 1;
    field->max_length = 20;
    if (field->type == CATALOG_FIELD_NUMBER) {
        long low = 1, high = 20;
        if (cJSON_GetObjectItemCaseSensitive(entry, "min_length"))
            result = json_field_int(at, entry, "min_length", 1, 32, &low, diag);
        if (result == KIOSK_OK && cJSON_GetObjectItemCaseSensitive(entry, "max_length"))
            result = json_field_int(at, entry, "max_length", 1, 32, &high, diag);
        if (result == KIOSK_OK && low > high)
            result = kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                    "%s: %s: min_length %ld is over max_length %ld", at.file,
                                    at.path, low, high);
        field->min_length = (int)low;
        field->max_length = (int)high;
    }
    if (result == KIOSK_OK)
        result = load_choices(at, entry, catalog, field, diag);
    return result;
}

static kiosk_error load_form(json_place place, const cJSON *item, catalog *catalog,
                             catalog_service *service, kiosk_diag *diag)
{
    const cJSON *form = NULL;
    kiosk_error result = optional_list(place, item, "form", CATALOG_FIELDS_MAX, &form, diag);
    if (result != KIOSK_OK || !form)
        return result;
    unsigned count = (unsigned)cJSON_GetArraySize(form);
    if (catalog->field_used + count > CATALOG_FIELD_POOL)
        return pool_full(place, "form fields", diag);
    service->field_first = catalog->field_used;
    const cJSON *entry = NULL;
    cJSON_ArrayForEach(entry, form)
    {
        char path[128];
        snprintf(path, sizeof path, "%s.form[%u]", place.path, service->field_count);
        json_place at = {place.file, path};
        catalog_field *field = &catalog->fields[service->field_first + service->field_count];
        memset(field, 0, sizeof *field);
        result = entry_id(at, entry, catalog->fields[service->field_first].id,
                          sizeof(catalog_field), service->field_count, field->id, diag);
        if (result == KIOSK_OK)
            result = load_field(at, entry, catalog, field, diag);
        if (result != KIOSK_OK)
            return result;
        service->field_count++;
        catalog->field_used++;
    }
    return KIOSK_OK;
}

static kiosk_error load_materials(json_place place, const cJSON *item, catalog *catalog,
                                  catalog_service *service, kiosk_diag *diag)
{
    const cJSON *list = NULL;
    kiosk_error result =
        optional_list(place, item, "materials", CATALOG_MATERIALS_MAX, &list, diag);
    if (result != KIOSK_OK || !list)
        return result;
    unsigned count = (unsigned)cJSON_GetArraySize(list);
    if (catalog->material_used + count > CATALOG_MATERIAL_POOL)
        return pool_full(place, "materials", diag);
    service->material_first = catalog->material_used;
    const cJSON *entry = NULL;
    cJSON_ArrayForEach(entry, list)
    {
        char path[128];
        snprintf(path, sizeof path, "%s.materials[%u]", place.path, service->material_count);
        json_place at = {place.file, path};
        catalog_material *material =
            &catalog->materials[service->material_first + service->material_count];
        memset(material, 0, sizeof *material);
        result = entry_id(at, entry, catalog->materials[service->material_first].id,
                          sizeof(catalog_material), service->material_count, material->id, diag);
        if (result == KIOSK_OK)
            result = catalog_load_texts(at, entry, "name", CATALOG_LABEL_MAX, &material->name[0][0],
                                        false, &catalog->missing_translations, diag);
        if (result == KIOSK_OK)
            result = optional_bool(at, entry, "e_license", &material->e_license, diag);
        if (result != KIOSK_OK)
            return result;
        service->material_count++;
        catalog->material_used++;
    }
    return KIOSK_OK;
}

/* A bundle's items: two or more departments' services that one form feeds. */
static kiosk_error load_items(json_place place, const cJSON *item, catalog *catalog,
                              catalog_service *service, kiosk_diag *diag)
{
    const cJSON *list = NULL;
    kiosk_error result = optional_list(place, item, "items", CATALOG_ITEMS_MAX, &list, diag);
    if (result != KIOSK_OK)
        return result;
    unsigned count = list ? (unsigned)cJSON_GetArraySize(list) : 0;
    if (service->kind == CATALOG_KIND_SERVICE && count > 0)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s.items: only a bundle has items",
                              place.file, place.path);
    if (service->kind == CATALOG_KIND_BUNDLE && count < 2)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "%s: %s.items: a bundle needs 2 to %d items", place.file, place.path,
                              CATALOG_ITEMS_MAX);
    if (count == 0)
        return KIOSK_OK;
    if (catalog->item_used + count > CATALOG_ITEM_POOL)
        return pool_full(place, "bundle items", diag);
    service->item_first = catalog->item_used;
    const cJSON *entry = NULL;
    cJSON_ArrayForEach(entry, list)
    {
        char path[128];
        snprintf(path, sizeof path, "%s.items[%u]", place.path, service->item_count);
        json_place at = {place.file, path};
        catalog_item *bundle_item = &catalog->items[service->item_first + service->item_count];
        memset(bundle_item, 0, sizeof *bundle_item);
        result = entry_id(at, entry, catalog->items[service->item_first].id, sizeof(catalog_item),
                          service->item_count, bundle_item->id, diag);
        if (result == KIOSK_OK)
            result =
                catalog_load_texts(at, entry, "name", CATALOG_LABEL_MAX, &bundle_item->name[0][0],
                                   false, &catalog->missing_translations, diag);
        if (result == KIOSK_OK)
            result = catalog_load_texts(at, entry, "department", CATALOG_LABEL_MAX,
                                        &bundle_item->department[0][0], false,
                                        &catalog->missing_translations, diag);
        if (result != KIOSK_OK)
            return result;
        service->item_count++;
        catalog->item_used++;
    }
    return KIOSK_OK;
}

/* The steps as given, or the ones the service's data implies. */
static kiosk_error load_step_list(json_place place, const cJSON *item, catalog_service *service,
                                  kiosk_diag *diag)
{
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(item, "steps");
    service->step_count = 0;
    if (!steps && service->start == CATALOG_START_SCAN) {
        /* A lookup: the scan and its answer are the service; then a rating. */
        service->steps[service->step_count++] = CATALOG_STEP_RATE;
        return KIOSK_OK;
    }
    if (!steps) {
        bool implied[CATALOG_STEPS_MAX] = {
            [CATALOG_STEP_IDENTIFY] = service->identity != CATALOG_IDENTITY_NONE,
            [CATALOG_STEP_FORM] = service->field_count > 0,
            [CATALOG_STEP_MATERIALS] = service->material_count > 0,
            [CATALOG_STEP_CONFIRM] = true,
            [CATALOG_STEP_SUBMIT] = true,
            [CATALOG_STEP_PRINT] = service->prints != CATALOG_PRINTS_NONE,
            [CATALOG_STEP_RATE] = true,
        };
        for (int s = 0; s < CATALOG_STEPS_MAX; s++) {
            if (implied[s])
                service->steps[service->step_count++] = (catalog_step)s;
        }
        return KIOSK_OK;
    }
    if (!cJSON_IsArray(steps) || cJSON_GetArraySize(steps) == 0)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s.steps: expected a list of steps",
                              place.file, place.path);
    const cJSON *entry = NULL;
    int last = -1;
    cJSON_ArrayForEach(entry, steps)
    {
        int step = -1;
        for (int s = 0; cJSON_IsString(entry) && s < CATALOG_STEPS_MAX; s++) {
            if (strcmp(entry->valuestring, step_names[s]) == 0)
                step = s;
        }
        if (step < 0)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "%s: %s.steps[%u]: expected identify, form, materials, "
                                  "confirm, submit, print or rate",
                                  place.file, place.path, service->step_count);
        if (step <= last)
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "%s: %s.steps[%u]: \"%s\" is out of order or repeated (the "
                                  "order is identify, form, materials, confirm, submit, print, "
                                  "rate)",
                                  place.file, place.path, service->step_count, step_names[step]);
        last = step;
        service->steps[service->step_count++] = (catalog_step)step;
    }
    return KIOSK_OK;
}

/* The steps must agree with the data: nothing asked for that has no step,
 * no step without what it needs. */
static kiosk_error check_steps(json_place place, const catalog_service *service, kiosk_diag *diag)
{
    struct {
        catalog_step step;
        bool needed;
        const char *why;
    } rules[] = {
        {CATALOG_STEP_IDENTIFY, service->identity != CATALOG_IDENTITY_NONE,
         "the identity it asks for"},
        {CATALOG_STEP_FORM, service->field_count > 0, "its form"},
        {CATALOG_STEP_MATERIALS, service->material_count > 0, "its materials"},
        {CATALOG_STEP_PRINT, service->prints != CATALOG_PRINTS_NONE, "what it prints"},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (rules[i].needed != catalog_has_step(service, rules[i].step))
            return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                                  "%s: %s.steps: \"%s\" must be there exactly when the service "
                                  "has %s",
                                  place.file, place.path, step_names[rules[i].step], rules[i].why);
    }
    /* Anything the citizen enters is submitted; only a rating stands alone. */
    bool only_rating = service->step_count == 1 && service->steps[0] == CATALOG_STEP_RATE;
    bool scan_lookup = service->start == CATALOG_START_SCAN;
    if (!only_rating && !scan_lookup && !catalog_has_step(service, CATALOG_STEP_SUBMIT))
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s.steps: \"submit\" is missing",
                              place.file, place.path);
    return KIOSK_OK;
}

/* Who may see what: a service that shows a citizen's own records opens only
 * to proof of who they are, never to a number typed. A question answered
 * from the platform's data about the citizen (offline "cache", after
 * identification) is such a service unless the catalog says otherwise, so a
 * catalog written before these members existed is safe. Called after the
 * identity, start and offline mode are known. */
static kiosk_error load_assurance(json_place place, const cJSON *item, catalog_service *service,
                                  kiosk_diag *diag)
{
    static const char *const assurances[] = {
        [CATALOG_ASSURANCE_CLAIMED] = "claimed", [CATALOG_ASSURANCE_VERIFIED] = "verified"};
    service->personal_data =
        service->offline == CATALOG_OFFLINE_CACHE && service->start == CATALOG_START_IDENTIFY;
    if (cJSON_GetObjectItemCaseSensitive(item, "personal_data")) {
        kiosk_error result =
            optional_bool(place, item, "personal_data", &service->personal_data, diag);
        if (result != KIOSK_OK)
            return result;
    }
    int assurance =
        pick(place, item, "assurance", assurances, 2, "\"claimed\" or \"verified\"", diag);
    if (assurance == -2)
        return KIOSK_ERR_MALFORMED;
    service->assurance = assurance >= 0           ? (catalog_assurance)assurance
                         : service->personal_data ? CATALOG_ASSURANCE_VERIFIED
                                                  : CATALOG_ASSURANCE_CLAIMED;
    if (service->personal_data && service->identity == CATALOG_IDENTITY_NONE)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "%s: %s.personal_data: a service that asks nobody who they are "
                              "cannot show a citizen's records",
                              place.file, place.path);
    if (service->personal_data && service->assurance != CATALOG_ASSURANCE_VERIFIED)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED,
                              "%s: %s.assurance: a service that shows a citizen's records needs "
                              "\"verified\" (the card or an e-ID), not a number typed",
                              place.file, place.path);
    return KIOSK_OK;
}

/* A certificate is the citizen's own record: it is fetched for proof of
 * who they are, never a number typed, needs the link, and is what the
 * submit step does (no form is sent, no slip printed). */
static kiosk_error load_delivers(json_place place, const cJSON *item, catalog_service *service,
                                 kiosk_diag *diag)
{
    static const char *const delivers[] = {
        [CATALOG_DELIVERS_NOTHING] = "nothing", [CATALOG_DELIVERS_CERTIFICATE] = "certificate"};
    int delivered =
        pick(place, item, "delivers", delivers, 2, "\"nothing\" or \"certificate\"", diag);
    if (delivered == -2)
        return KIOSK_ERR_MALFORMED;
    service->delivers = delivered < 0 ? CATALOG_DELIVERS_NOTHING : (catalog_delivers)delivered;
    if (service->delivers != CATALOG_DELIVERS_CERTIFICATE)
        return KIOSK_OK;
    const char *why = NULL;
    if (service->identity == CATALOG_IDENTITY_NONE || !service->personal_data ||
        service->assurance != CATALOG_ASSURANCE_VERIFIED)
        why = "needs \"personal_data\": true and the card or an e-ID (\"assurance\": "
              "\"verified\")";
    else if (service->offline != CATALOG_OFFLINE_ONLINE)
        why = "comes only from the platform: \"offline\" must be \"online\"";
    else if (service->prints != CATALOG_PRINTS_NONE || service->field_count > 0 ||
             service->material_count > 0)
        why = "prints the certificate itself: no slip, form or materials";
    else if (!catalog_has_step(service, CATALOG_STEP_SUBMIT))
        why = "fetches it at its \"submit\" step, which is missing";
    if (why)
        return kiosk_diag_set(diag, KIOSK_ERR_MALFORMED, "%s: %s.delivers: a certificate %s",
                              place.file, place.path, why);
    return KIOSK_OK;
}

kiosk_error catalog_load_steps(json_place place, const cJSON *item, catalog *catalog,
                               catalog_service *service, kiosk_diag *diag)
{
    static const char *const starts[] = {
        [CATALOG_START_IDENTIFY] = "identify", [CATALOG_START_SCAN] = "scan"};
    static const char *const identities[] = {[CATALOG_IDENTITY_NONE] = "none",
                                             [CATALOG_IDENTITY_ID_CARD] = "id-card",
                                             [CATALOG_IDENTITY_ID_CARD_OR_EID] = "id-card-or-eid"};
    static const char *const offline_modes[] = {[CATALOG_OFFLINE_QUEUE] = "queue",
                                                [CATALOG_OFFLINE_CACHE] = "cache",
                                                [CATALOG_OFFLINE_ONLINE] = "online"};
    static const char *const prints[] = {[CATALOG_PRINTS_NONE] = "none",
                                         [CATALOG_PRINTS_RECEIPT] = "receipt",
                                         [CATALOG_PRINTS_TICKET] = "ticket"};

    int start = pick(place, item, "start", starts, 2, "\"identify\" or \"scan\"", diag);
    if (start == -2)
        return KIOSK_ERR_MALFORMED;
    service->start = start < 0 ? CATALOG_START_IDENTIFY : (catalog_start)start;
    /* A lookup by tracking number asks nobody who they are. */
    int identity =
        pick(place, item, "identity", identities, 3, "none, id-card or id-card-or-eid", diag);
    if (identity == -2)
        return KIOSK_ERR_MALFORMED;
    service->identity = identity >= 0                          ? (catalog_identity)identity
                        : service->start == CATALOG_START_SCAN ? CATALOG_IDENTITY_NONE
                                                               : CATALOG_IDENTITY_ID_CARD;
    int offline = pick(place, item, "offline", offline_modes, 3, "queue, cache or online", diag);
    if (offline == -2)
        return KIOSK_ERR_MALFORMED;
    service->offline = offline < 0 ? CATALOG_OFFLINE_QUEUE : (catalog_offline)offline;
    kiosk_error result = load_assurance(place, item, service, diag);
    if (result != KIOSK_OK)
        return result;
    int printed = pick(place, item, "prints", prints, 3, "none, receipt or ticket", diag);
    if (printed == -2)
        return KIOSK_ERR_MALFORMED;
    service->prints = printed < 0 ? CATALOG_PRINTS_NONE : (catalog_prints)printed;

    result = load_form(place, item, catalog, service, diag);
    if (result == KIOSK_OK)
        result = load_materials(place, item, catalog, service, diag);
    if (result == KIOSK_OK)
        result = load_items(place, item, catalog, service, diag);
    if (result == KIOSK_OK)
        result = load_step_list(place, item, service, diag);
    if (result == KIOSK_OK)
        result = check_steps(place, service, diag);
    if (result == KIOSK_OK)
        result = load_delivers(place, item, service, diag);
    return result;
}

bool catalog_needs_link(const catalog_service *service)
{
    return service->offline == CATALOG_OFFLINE_ONLINE;
}

bool catalog_accepts_typed_number(const catalog_service *service)
{
    return service->identity != CATALOG_IDENTITY_NONE &&
           service->assurance == CATALOG_ASSURANCE_CLAIMED;
}

bool catalog_has_step(const catalog_service *service, catalog_step step)
{
    for (unsigned i = 0; i < service->step_count; i++) {
        if (service->steps[i] == step)
            return true;
    }
    return false;
}

const catalog_field *catalog_field_of(const catalog *catalog, const catalog_service *service,
                                      unsigned i)
{
    return i < service->field_count ? &catalog->fields[service->field_first + i] : NULL;
}

const catalog_choice *catalog_choice_of(const catalog *catalog, const catalog_field *field,
                                        unsigned i)
{
    return i < field->choice_count ? &catalog->choices[field->choice_first + i] : NULL;
}

const catalog_material *catalog_material_of(const catalog *catalog, const catalog_service *service,
                                            unsigned i)
{
    return i < service->material_count ? &catalog->materials[service->material_first + i] : NULL;
}

const catalog_item *catalog_item_of(const catalog *catalog, const catalog_service *service,
                                    unsigned i)
{
    return i < service->item_count ? &catalog->items[service->item_first + i] : NULL;
}
