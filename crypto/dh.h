/*
 * Key exchange public values for the active probe (probe/): a fresh key pair
 * of an IKE Diffie-Hellman group, the public half in the encoding the KE
 * payload carries (RFC 7296 §3.4, RFC 2409 §5):
 *   MODP (RFC 2409 §6, RFC 3526): g^x mod p, big-endian, padded to the prime's length;
 *   ECP (RFC 5903 §7): x | y, each padded to the field size (no 0x04 prefix);
 *   Curve25519 (RFC 8031 §3.1): the 32-byte u-coordinate.
 * The private half is thrown away: the probe never completes an exchange.
 */
#ifndef IKESCOPE_CRYPTO_DH_H
#define IKESCOPE_CRYPTO_DH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DH_MAX_PUB 512 /* MODP 4096 */

/* Whether group (IKE registry number) is one this build can generate. */
bool dh_group_supported(uint16_t group);
/* Public value length of group, 0 when unsupported. */
size_t dh_pub_len(uint16_t group);
/*
 * A fresh public value of group into out (cap bytes).  Returns its length,
 * or -EINVAL for a group it cannot make, -ENOMEM / -EIO when OpenSSL fails.
 */
int dh_make_public(uint16_t group, uint8_t *out, size_t cap);
/* Random bytes (nonces, SPIs); 0 or -EIO. */
int crypto_random(uint8_t *out, size_t n);

#endif
