/* The receipts this terminal has issued, so a citizen can ask about one
 * while the link is down, or by the terminal's own number after the record
 * has left: each receipt's number, its service, whether it has reached the
 * platform (and the platform's number), and when. Nothing personal: the
 * numbers, a service id and times. Kept in the offline store's settings
 * table, and forgotten after RECEIPT_INDEX_DAYS. Main thread only. */
#ifndef KIOSK_FIRMWARE_PLATFORM_RECEIPT_INDEX_H
#define KIOSK_FIRMWARE_PLATFORM_RECEIPT_INDEX_H

#include "firmware/base/error.h"
#include "offline-cache/store.h"

#include <stdbool.h>
#include <stdint.h>

/* How long a receipt can be asked about from the terminal's own records. */
#define RECEIPT_INDEX_DAYS 90

#define RECEIPT_NUMBER_MAX 64

typedef struct receipt_entry {
    char number[RECEIPT_NUMBER_MAX];   /* the number asked for, in full */
    char local[RECEIPT_NUMBER_MAX];    /* the terminal's own (K0420-000001) */
    char tracking[RECEIPT_NUMBER_MAX]; /* the platform's, once delivered; else "" */
    char service[48];
    bool delivered;
    int64_t issued_at_s, delivered_at_s; /* wall clock; 0 when not yet */
} receipt_entry;

/* The next of the terminal's own receipt numbers, inside the caller's
 * transaction (cache_begin). It is one more than both the store's counter
 * and the high-water mark in mark_path, a file beside the store: a store
 * moved aside, lost or started afresh does not bring old numbers back, so
 * no two citizens are ever given one number. The mark is written (and
 * synced) before this returns; a transaction rolled back afterwards leaves
 * a gap, never a repeat. Errors: IO (the mark cannot be read or written),
 * MALFORMED (it holds something other than a number), those of the store. */
kiosk_error receipt_index_next_number(cache_store *store, const char *mark_path, int64_t *number,
                                      kiosk_diag *diag) KIOSK_MUST_CHECK;

/* A submission was kept in the outbox as record_id and the citizen given
 * local as its number. Errors: those of the store. */
kiosk_error receipt_index_issued(cache_store *store, const char *local, const char *service,
                                 int64_t record_id, int64_t now_s,
                                 kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Outbox record record_id reached the platform, which numbered it
 * tracking. A record that is not a receipt's (a rating) is no error. */
kiosk_error receipt_index_delivered(cache_store *store, int64_t record_id, const char *tracking,
                                    int64_t now_s, kiosk_diag *diag) KIOSK_MUST_CHECK;

/* The receipt with this number: the terminal's, the platform's, or either
 * one's digits alone (as typed on a keypad). Errors: NOT_FOUND, and those of
 * the store. */
kiosk_error receipt_index_find(cache_store *store, const char *number, receipt_entry *out,
                               kiosk_diag *diag) KIOSK_MUST_CHECK;

/* Forgets receipts issued before before_s. */
kiosk_error receipt_index_purge(cache_store *store, int64_t before_s,
                                kiosk_diag *diag) KIOSK_MUST_CHECK;

#endif
