/* The terminal's identity from its client certificate. See peer.h. */
#include "peer.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

static bool fail(char *why, size_t why_size, const char *text)
{
    snprintf(why, why_size, "%s", text);
    return false;
}

bool sim_peer_identity(struct MHD_Connection *connection, char *cn, size_t cn_size, char *why,
                       size_t why_size)
{
    cn[0] = '\0';
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (!info || !info->tls_session)
        return fail(why, why_size, "not a TLS connection");
    gnutls_session_t session = (gnutls_session_t)info->tls_session;

    /* Chain to the daemon's trust list (the terminal CA only), validity
     * dates, and the key purpose: a server certificate from the same CA is
     * not a terminal. */
    gnutls_typed_vdata_st purpose = {
        .type = GNUTLS_DT_KEY_PURPOSE_OID,
        .data = (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT,
    };
    unsigned status = 0;
    int verified = gnutls_certificate_verify_peers(session, &purpose, 1, &status);
    if (verified == GNUTLS_E_NO_CERTIFICATE_FOUND)
        return fail(why, why_size, "no client certificate");
    if (verified < 0) {
        snprintf(why, why_size, "client certificate not verified: %s", gnutls_strerror(verified));
        return false;
    }
    if (status != 0) {
        gnutls_datum_t text = {NULL, 0};
        if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) == 0) {
            snprintf(why, why_size, "client certificate refused: %s", (const char *)text.data);
            gnutls_free(text.data);
        } else {
            snprintf(why, why_size, "client certificate refused (status 0x%x)", status);
        }
        return false;
    }

    unsigned count = 0;
    const gnutls_datum_t *chain = gnutls_certificate_get_peers(session, &count);
    if (!chain || count == 0)
        return fail(why, why_size, "no client certificate");
    gnutls_x509_crt_t certificate;
    if (gnutls_x509_crt_init(&certificate) < 0)
        return fail(why, why_size, "no memory");
    bool ok = false;
    if (gnutls_x509_crt_import(certificate, &chain[0], GNUTLS_X509_FMT_DER) < 0) {
        fail(why, why_size, "client certificate does not parse");
    } else {
        size_t size = cn_size;
        int got = gnutls_x509_crt_get_dn_by_oid(certificate, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn,
                                                &size);
        if (got < 0 || cn[0] == '\0') {
            cn[0] = '\0';
            fail(why, why_size, "client certificate without a usable CN");
        } else {
            ok = true;
        }
    }
    gnutls_x509_crt_deinit(certificate);
    return ok;
}

bool sim_sha256(const void *data, size_t length, unsigned char out[32])
{
    return gnutls_hash_fast(GNUTLS_DIG_SHA256, data, length, out) == 0;
}
