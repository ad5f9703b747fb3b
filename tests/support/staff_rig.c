/* The staff operations' platform rig (staff_rig.h). */
#include "staff_rig.h"

#include "test_support.h"

#include "firmware/platform/staff_ops.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

int staff_rig_events;

void staff_rig_on_event(const platform_event *event, void *context)
{
    (void)context;
    if (event->kind == PLATFORM_STAFF)
        staff_rig_events++;
}

static time_t wall(void *context)
{
    (void)context;
    return TEST_WALL_TIME;
}

static kiosk_platform *create_in(const char *data_dir, const char *key_file, int min_free_mb)
{
    platform_config config = {.make_key = true,
                              .on_event = staff_rig_on_event,
                              .wall_time = wall,
                              .min_free_mb = min_free_mb};
    snprintf(config.data_dir, sizeof config.data_dir, "%s", data_dir);
    snprintf(config.key_file, sizeof config.key_file, "%s", key_file);
    snprintf(config.terminal_id, sizeof config.terminal_id, "K0420");
    snprintf(config.cipher, sizeof config.cipher, "aes-256-gcm");
    kiosk_platform *platform = NULL;
    assert_int_equal(platform_create(&config, &platform), KIOSK_OK);
    return platform;
}

static void open_store(kiosk_platform *platform)
{
    kiosk_diag diag = {{0}};
    if (platform_store_open(platform, &diag) != KIOSK_OK)
        fail_msg("store: %s", diag.message);
}

kiosk_platform *staff_rig_create(const char *name, int min_free_mb)
{
    const char *dir = test_make_temp_dir(name);
    char data_dir[PLATFORM_PATH_MAX], key_file[PLATFORM_PATH_MAX];
    snprintf(data_dir, sizeof data_dir, "%s/data", dir);
    snprintf(key_file, sizeof key_file, "%s/seal.key", dir);
    return create_in(data_dir, key_file, min_free_mb);
}

kiosk_platform *staff_rig_open(const char *name)
{
    kiosk_platform *platform = staff_rig_create(name, 0);
    open_store(platform);
    return platform;
}

kiosk_platform *staff_rig_restart(kiosk_platform *platform, int min_free_mb)
{
    char data_dir[PLATFORM_PATH_MAX], key_file[PLATFORM_PATH_MAX];
    snprintf(data_dir, sizeof data_dir, "%s", platform->config.data_dir);
    snprintf(key_file, sizeof key_file, "%s", platform->config.key_file);
    platform_destroy(platform);
    platform = create_in(data_dir, key_file, min_free_mb);
    open_store(platform);
    return platform;
}

int64_t staff_rig_submit(kiosk_platform *platform, const char *assisted_by)
{
    platform_submission s = {.service_id = "certificate-print",
                             .id_number = "110105194912310021",
                             .identified_by = "id-card",
                             .language = "zh-CN",
                             .payload = cJSON_Parse("{\"fields\":{}}"),
                             .assisted_by = assisted_by};
    assert_int_equal(platform_submit(platform, &s), KIOSK_OK);
    platform_outbox_item items[8];
    size_t count = 0;
    assert_int_equal(platform_outbox_list(platform, false, items, 8, &count), KIOSK_OK);
    for (size_t i = count; i > 0; i--)
        if (strcmp(items[i - 1].kind, "submission") == 0)
            return items[i - 1].id;
    fail_msg("no submission in the outbox");
    return 0;
}

void staff_rig_last_row(kiosk_platform *platform, cache_audit_row *row)
{
    cache_audit_head head;
    assert_int_equal(platform_audit_head(platform, &head), KIOSK_OK);
    size_t count = 0;
    assert_int_equal(cache_audit_list(platform->store, head.sequence - 1, row, 1, &count, NULL),
                     KIOSK_OK);
    assert_int_equal(count, 1);
}
