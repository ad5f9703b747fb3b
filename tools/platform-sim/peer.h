/* Who is at the other end of a connection: the terminal's client certificate.
 *
 * libmicrohttpd only asks for a client certificate (GNUTLS_CERT_REQUEST when
 * it is given a trust list); a client may send none, or one from any CA, and
 * the handshake still succeeds. So every request is checked here, against the
 * terminal CA the daemon was given, before anything else is done with it.
 */
#ifndef KIOSK_TOOLS_PLATFORM_SIM_PEER_H
#define KIOSK_TOOLS_PLATFORM_SIM_PEER_H

#include <stdbool.h>
#include <stddef.h>

struct MHD_Connection;

/* True when the connection's client certificate chains to the trusted
 * terminal CA, is within its validity, is meant for TLS clients, and has a
 * CN; cn receives the CN. False otherwise, with why saying what failed. */
bool sim_peer_identity(struct MHD_Connection *connection, char *cn, size_t cn_size, char *why,
                       size_t why_size);

/* SHA-256 of data (GnuTLS); false when the library refuses. */
bool sim_sha256(const void *data, size_t length, unsigned char out[32]);

#endif
