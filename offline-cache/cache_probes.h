/* What tests look at; the product never calls these.
 *
 * They read the store's state that the kiosk has no use for. They live in
 * the modules they read (which include this header so that their
 * definitions match); only tests call them. */
#ifndef KIOSK_OFFLINE_CACHE_CACHE_PROBES_H
#define KIOSK_OFFLINE_CACHE_CACHE_PROBES_H

#include "firmware/base/error.h"
#include "offline-cache/store.h"

/* PRAGMA integrity_check (the full one; slow on a large database): OK or
 * MALFORMED with the first problem in diag. For tests and technicians. */
kiosk_error cache_integrity_check(cache_store *store, kiosk_diag *diag) KIOSK_MUST_CHECK;

#endif
