/*
 * Unit tests for the key files (crypto/keys.c): Wireshark's conformance key
 * files and the wiki samples, every key file of samples/, wildcard matches,
 * the ikescope IKEV2 line, and one error per kind of bad line.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "tests/unit/check.h"

static const char *shared, *srcdir;
static char tmpdir[256];

static void
hex(const char *s, uint8_t *out)
{
	for (size_t i = 0; s[2 * i]; i++) {
		unsigned v;
		sscanf(s + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static bool
bytes_eq(const uint8_t *p, const char *hx)
{
	uint8_t b[CRYPTO_MAX_KEY];
	size_t n = strlen(hx) / 2;
	hex(hx, b);
	return memcmp(p, b, n) == 0;
}

static struct ip_addr
addr(const char *s)
{
	struct ip_addr a;
	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, a.a) == 1)
		a.family = 4;
	else if (inet_pton(AF_INET6, s, a.a) == 1)
		a.family = 6;
	return a;
}

static const struct esp_keys *
esp(const struct keyring *k, const char *src, const char *dst, uint32_t spi)
{
	struct ip_addr s = addr(src), d = addr(dst);
	return keyring_esp(k, &s, &d, spi);
}

static const struct ikev2_keys *
v2(const struct keyring *k, const char *spi_i, const char *spi_r)
{
	uint8_t a[8], b[8];
	hex(spi_i, a);
	hex(spi_r, b);
	return keyring_ikev2(k, a, b);
}

static const struct ikev1_keys *
v1(const struct keyring *k, const char *cookie)
{
	uint8_t a[8];
	hex(cookie, a);
	return keyring_ikev1(k, a);
}

static int
load(struct keyring *k, const char *path)
{
	char err[512];
	int rc = keyring_load(k, path, err, sizeof(err));
	if (rc)
		fprintf(stderr, "load %s: %s\n", path, err);
	return rc;
}

static const char *
write_file(const char *name, const char *text)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_wireshark_config(void)
{
	struct keyring k;
	char p[512];
	keyring_init(&k);
	CHECK(keyring_empty(&k));

	snprintf(p, sizeof(p), "%s/conformance/wireshark/config/ikev2_decryption_table", shared);
	CHECK(load(&k, p) == 0);
	CHECK(k.nv2 == 9 && k.nv1 == 0 && k.nesp == 0);
	CHECK(!keyring_empty(&k));
	/* Row 6: AES-CBC-256 and HMAC_SHA2_256_128. */
	const struct ikev2_keys *e = v2(&k, "191ccd371a7a1f7b", "bc123d15e4af593f");
	CHECK(e && e == &k.v2[5]);
	if (e) {
		CHECK(e->enc.encr == ENCR_AES_CBC_ && e->enc.key_len == 32 &&
		      e->enc.salt_len == 0 && e->enc.icv_len == 0);
		CHECK(e->integ.integ == INTEG_HMAC_SHA256_ && e->integ.key_len == 32 &&
		      e->integ.icv_len == 16);
		CHECK(bytes_eq(e->sk_ei, "9096ddd2933620e8f48122c53a3f562cb0222c1cf97ce41fcc874ea2"
					 "582a89ac"));
		CHECK(bytes_eq(e->sk_er, "6718c6b2bbef2f234eac4c13832f885d87b574afd2af0111161e99b5"
					 "dc61b4d4"));
		CHECK(bytes_eq(e->sk_ai, "12d532c3e83c757906af548dfe1ccf223ca5507af77898454e2d55c8"
					 "ace57a17"));
		CHECK(bytes_eq(e->sk_ar, "30c4ead18c93024b58a86c1e3db60f550221801026853170b4cb0248"
					 "d3a95329"));
		CHECK(!e->has_auth_keys);
	}
	/* The SPIs are ordered: swapped, nothing. */
	CHECK(v2(&k, "bc123d15e4af593f", "191ccd371a7a1f7b") == NULL);
	e = v2(&k, "1234567890123456", "0987654321098765");
	CHECK(e && e->enc.encr == ENCR_NULL_ && e->enc.key_len == 0 &&
	      e->integ.integ == INTEG_NONE_ && e->integ.icv_len == 0);
	e = v2(&k, "19ab98963486359f", "78f13157ccd3b3d8");
	CHECK(e && e->enc.encr == ENCR_3DES_ && e->enc.key_len == 24 &&
	      e->integ.integ == INTEG_HMAC_SHA1_ && e->integ.key_len == 20 &&
	      e->integ.icv_len == 20);
	e = v2(&k, "ea684d21597afd36", "d9fe2ab22dac23ac");
	CHECK(e && e->enc.encr == ENCR_AES_CCM_ && e->enc.key_len == 19 && e->enc.salt_len == 3 &&
	      e->enc.icv_len == 12 && e->integ.integ == INTEG_NONE_);
	if (e)
		CHECK(bytes_eq(e->sk_ei, "be83fe15f6a9976941870830fe26c014b863b3"));
	e = v2(&k, "a2926ae833c6f138", "5464c57d0dc5e272");
	CHECK(e && e->enc.encr == ENCR_AES_CTR_ && e->enc.key_len == 20 && e->enc.salt_len == 4 &&
	      e->integ.integ == INTEG_ANY_ && e->integ.icv_len == 12 && e->integ.key_len == 0);
	e = v2(&k, "81f24c0acd8fa55c", "192383172724c706");
	CHECK(e && e->enc.encr == ENCR_AES_CTR_ && e->enc.key_len == 28 &&
	      e->integ.integ == INTEG_HMAC_SHA512_ && e->integ.key_len == 64 &&
	      e->integ.icv_len == 32);
	e = v2(&k, "cd7ae76304b277e2", "74f6080ed799d463");
	CHECK(e && e->enc.encr == ENCR_AES_CCM_ && e->enc.key_len == 35 && e->enc.icv_len == 16);
	e = v2(&k, "5d48bfeeb7d574da", "bbb73016c0503640");
	CHECK(e && e->enc.encr == ENCR_AES_GCM_ && e->enc.key_len == 36 && e->enc.salt_len == 4 &&
	      e->enc.icv_len == 8);
	e = v2(&k, "0158b8fb90b7623d", "13514610cea16160");
	CHECK(e && e->enc.encr == ENCR_AES_GCM_ && e->enc.icv_len == 16);

	snprintf(p, sizeof(p), "%s/conformance/wireshark/config/ikev1_decryption_table", shared);
	CHECK(load(&k, p) == 0);
	CHECK(k.nv1 == 3 && k.nv2 == 9);
	const struct ikev1_keys *c = v1(&k, "fafaeb49382a763c");
	CHECK(c && c->key_len == 24 &&
	      bytes_eq(c->key, "735be0cb62f82675c4f7bf8fbab9b56834ba76d6ab4fa240"));
	c = v1(&k, "29f6006212625def");
	CHECK(c && c->key_len == 32 &&
	      bytes_eq(c->key, "c26a81baec6070d289f0b4f13c2fb182e3d5406d11c29ebc2fc179502541325b"));
	CHECK(v1(&k, "0000000000000000") == NULL);

	snprintf(p, sizeof(p), "%s/conformance/wireshark/config/esp_sa", shared);
	CHECK(load(&k, p) == 0);
	CHECK(k.nesp == 2);
	const struct esp_keys *s = esp(&k, "192.168.0.1", "192.168.0.100", 0x070883c2);
	CHECK(s && s->family == 4 && s->enc.encr == ENCR_AES_CBC_ && s->enc.key_len == 16 &&
	      s->integ.integ == INTEG_HMAC_SHA1_ && s->integ.key_len == 20 &&
	      s->integ.icv_len == 12);
	if (s) {
		CHECK(bytes_eq(s->ekey, "5de1a4c2c72662c9fda7a7c78cd25623"));
		CHECK(bytes_eq(s->akey, "51c9213c18232f8f26c70c4dee6e0e6d56e31e8a"));
	}
	/* The SA is one-way: the other direction, another SPI or an IPv6 packet miss it. */
	CHECK(esp(&k, "192.168.0.100", "192.168.0.1", 0x070883c2) == NULL);
	CHECK(esp(&k, "192.168.0.1", "192.168.0.100", 0x070883c3) == NULL);
	CHECK(esp(&k, "::1", "::2", 0x070883c2) == NULL);
	s = esp(&k, "192.168.0.100", "192.168.0.1", 0xc254fe64);
	CHECK(s && bytes_eq(s->ekey, "88e1dad7140af03b8d4f3d734d21be4b"));
	keyring_free(&k);
	CHECK(keyring_empty(&k));
}

static void
test_wiki_samples(void)
{
	struct keyring k;
	char p[512];
	const char *w = "conformance/wireshark/wiki-samples";
	keyring_init(&k);

	snprintf(p, sizeof(p), "%s/%s/ikev2-esp-natt-aes-gcm-ctr-cbc/esp_sa", shared, w);
	CHECK(load(&k, p) == 0);
	CHECK(k.nesp == 6);
	/* "*" addresses: any address of the right family. */
	const struct esp_keys *s = esp(&k, "10.1.2.3", "172.16.0.1", 0xc1a9656b);
	CHECK(s && s->enc.encr == ENCR_AES_GCM_ && s->enc.key_len == 20 && s->enc.salt_len == 4 &&
	      s->enc.icv_len == 16 && s->integ.integ == INTEG_NONE_ && s->integ.icv_len == 0);
	if (s)
		CHECK(bytes_eq(s->ekey, "167fc4915921b24f27f71e7498b1978c238398d6"));
	CHECK(esp(&k, "2001:db8::1", "2001:db8::2", 0xc1a9656b) == NULL);
	s = esp(&k, "192.168.245.131", "172.16.15.92", 0x78bd5377);
	CHECK(s && s->enc.encr == ENCR_AES_CTR_ && s->enc.key_len == 20 && s->enc.salt_len == 4 &&
	      s->integ.integ == INTEG_HMAC_SHA256_ && s->integ.icv_len == 16 &&
	      s->integ.key_len == 32);
	s = esp(&k, "1.1.1.1", "2.2.2.2", 0xb6b5f296);
	CHECK(s && s->enc.encr == ENCR_AES_CBC_ && s->enc.key_len == 16 &&
	      bytes_eq(s->ekey, "0b8cf5f4328c8ce9724bf7ed903716a5"));
	keyring_free(&k);

	/* "AES-GCM [RFC4106]" (no ICV length) is the 16-octet ICV. */
	snprintf(p, sizeof(p), "%s/%s/ikev2-esp-natt-aes-gcm-ctr-cbc/esp_sa.no_icv", shared, w);
	CHECK(load(&k, p) == 0);
	s = esp(&k, "1.1.1.1", "2.2.2.2", 0xac0faf03);
	CHECK(s && s->enc.encr == ENCR_AES_GCM_ && s->enc.icv_len == 16 && s->enc.key_len == 20);
	keyring_free(&k);

	snprintf(p, sizeof(p), "%s/%s/ikev2-esp-natt-aes-gcm-ctr-cbc/ikev2_decryption_table",
		 shared, w);
	CHECK(load(&k, p) == 0);
	CHECK(k.nv2 == 3);
	const struct ikev2_keys *e = v2(&k, "89922c915f35570e", "98d56d32e2a04742");
	CHECK(e && e->enc.encr == ENCR_AES_GCM_ && e->enc.key_len == 36 && e->enc.icv_len == 16);
	e = v2(&k, "99feb3adea1ee8f8", "85a3428fbdd9e1df");
	CHECK(e && e->enc.encr == ENCR_AES_CTR_ && e->enc.key_len == 36 &&
	      e->integ.integ == INTEG_HMAC_SHA256_ && e->integ.icv_len == 16);
	e = v2(&k, "5a64e0edca3a3614", "7c9ebe2a8e9ff7b8");
	CHECK(e && e->enc.encr == ENCR_AES_CBC_ && e->enc.key_len == 32);
	keyring_free(&k);

	/* Raw ASCII keys, decimal SPIs, IPv6, comments and blank lines. */
	snprintf(p, sizeof(p), "%s/%s/ipsec_esp_capture_1/esp_sa", shared, w);
	CHECK(load(&k, p) == 0);
	CHECK(k.nesp == 24);
	s = esp(&k, "3ffe::1", "3ffe::2", 10);
	CHECK(s && s->family == 6 && s->enc.encr == ENCR_AES_CBC_ && s->enc.key_len == 16 &&
	      !memcmp(s->ekey, "aescbcencryption", 16) && s->integ.integ == INTEG_HMAC_SHA1_ &&
	      !memcmp(s->akey, "hmacsha1authenticati", 20));
	s = esp(&k, "3ffe::1", "3ffe::14", 12);
	CHECK(s && s->enc.encr == ENCR_DES_ && s->enc.key_len == 8 &&
	      s->integ.integ == INTEG_HMAC_MD5_ && s->integ.key_len == 16);
	s = esp(&k, "190.0.0.1", "190.0.0.25", 123);
	CHECK(s && s->family == 4 && s->enc.encr == ENCR_NULL_ && s->integ.integ == INTEG_NONE_);
	s = esp(&k, "190.0.0.1", "190.0.0.3", 111);
	CHECK(s && s->enc.encr == ENCR_3DES_ && s->enc.key_len == 24);
	CHECK(esp(&k, "190.0.0.1", "190.0.0.3", 112) == NULL);
	keyring_free(&k);

	snprintf(p, sizeof(p), "%s/%s/ipsec_esp_capture_2/esp_sa", shared, w);
	CHECK(load(&k, p) == 0);
	s = esp(&k, "192.168.0.3", "10.0.0.2", 0xdeadbeef); /* SPI "*" */
	CHECK(s && s->enc.encr == ENCR_DES_);
	keyring_free(&k);

	/* Algorithms named but not implemented: still valid rows. */
	snprintf(p, sizeof(p), "%s/%s/ipsec_esp_capture_3/esp_sa", shared, w);
	CHECK(load(&k, p) == 0);
	CHECK(k.nesp == 3);
	s = esp(&k, "190.0.0.1", "190.0.0.5", 13);
	CHECK(s && s->enc.encr == ENCR_UNSUPPORTED_ && s->enc.key_len == 32);
	keyring_free(&k);
	snprintf(p, sizeof(p), "%s/%s/ipsec_esp_capture_5/esp_sa", shared, w);
	CHECK(load(&k, p) == 0);
	/* 31 hex digits: read as if a 0 came first, as Wireshark does. */
	s = esp(&k, "3ffe::1", "3ffe::3", 11);
	CHECK(s && s->enc.encr == ENCR_UNSUPPORTED_ && s->integ.integ == INTEG_HMAC_SHA1_ &&
	      s->enc.key_len == 16 && bytes_eq(s->ekey, "0ecafecacafecafebbccbbccdadaffff"));
	keyring_free(&k);
}

/* Every key file shipped with the samples loads; a few values checked. */
static void
test_samples(void)
{
	struct keyring k;
	char p[2048];
	size_t files = 0;
	snprintf(p, sizeof(p), "%s/samples", srcdir);
	DIR *d = opendir(p);
	CHECK(d != NULL);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".keys"))
			continue;
		char sub[1024];
		snprintf(sub, sizeof(sub), "%s/samples/%s", srcdir, de->d_name);
		DIR *d2 = opendir(sub);
		CHECK(d2 != NULL);
		struct dirent *f;
		while (d2 && (f = readdir(d2))) {
			if (f->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "%s/%s", sub, f->d_name);
			keyring_init(&k);
			CHECK(load(&k, p) == 0);
			CHECK(!keyring_empty(&k));
			files++;
			keyring_free(&k);
		}
		if (d2)
			closedir(d2);
	}
	closedir(d);
	CHECK(files >= 30);

	keyring_init(&k);
	snprintf(p, sizeof(p), "%s/samples/ikev2-success-aes-gcm.keys/esp_sa", srcdir);
	CHECK(load(&k, p) == 0);
	snprintf(p, sizeof(p), "%s/samples/ikev2-success-aes-gcm.keys/ikev2_decryption_table",
		 srcdir);
	CHECK(load(&k, p) == 0);
	const struct esp_keys *s = esp(&k, "198.51.100.1", "192.0.2.1", 0xeac97bcd);
	CHECK(s && s->enc.encr == ENCR_AES_GCM_ && s->enc.key_len == 36 && s->enc.icv_len == 16 &&
	      bytes_eq(s->ekey, "f9d1f8e1230ab30e572480592c4a7283d9f0fea9e4e30169ff4d09a276ce805e"
				"e2cfda84"));
	const struct ikev2_keys *e = v2(&k, "e495cc60db3aaefa", "36650fef3558a01f");
	CHECK(e && e->enc.encr == ENCR_AES_GCM_ && e->enc.key_len == 36 && e->enc.icv_len == 16 &&
	      bytes_eq(e->sk_er, "1b9c3eed4752745fe509960e2491b9b827fa22a64eb9c5c25012d16c0e5b058f"
				 "018a8f78"));
	/* Several files into one keyring. */
	snprintf(p, sizeof(p), "%s/samples/ikev1-main-success.keys/ikev1_decryption_table", srcdir);
	CHECK(load(&k, p) == 0);
	const struct ikev1_keys *c = v1(&k, "0e905760ac03ece1");
	CHECK(c && c->key_len == 32 &&
	      bytes_eq(c->key, "0b82a9b8756a005719f41fcf2c96d5677593cc29a580e7c38a9430984dfb5595"));
	CHECK(k.nv2 == 1 && k.nv1 == 1 && k.nesp == 2);
	keyring_free(&k);
}

static void
test_wildcards_and_names(void)
{
	struct keyring k;
	keyring_init(&k);
	const char *p = write_file(
	    "wild",
	    "# wildcards, \"Any\", names in other cases, escapes, blanks, CRLF\r\n"
	    "\r\n"
	    "  \"IPv4\" , \"192.168.*.*\",\"*\",\"0x1234****\",\"aes-cbc\",\"0x00112233445566778899"
	    "aabbccddeeff\",\"hmac-sha-256-128\",\"0x000102030405060708090a0b0c0d0e0f000102030405"
	    "060708090a0b0c0d0e0f\"\r\n"
	    "\"Any\",\"*\",\"3ffe:0000::1\",\"*\",\"ChaCha20 with Poly1305 [RFC7634]\",\"0x000102"
	    "030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223\",\"NULL\",\"\","
	    "\"64-bit\",\"0x0\"\n"
	    "\"IPv6\",\"2001:db8::*\",\"*\",\"0x0000000a\",\"AES-GCM with 8 octet ICV\",\"0x0011"
	    "2233445566778899aabbccddeeff00112233\",\"NULL\",\"\"\n"
	    "\"IPv4\",\"*\",\"*\",\"*\",\"TripleDES-CBC [RFC2451]\",\"0x0011223344556677889900112"
	    "23344556677889900112233\",\"ANY 96 bit authentication [no checking]\",\"\"\n"
	    "0102030405060708,1112131415161718,"
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233,"
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233,"
	    "\"CHACHA20-POLY1305\",,,\"none\"\n"
	    "0102030405060709,1112131415161718,"
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff,"
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff,"
	    "\"AES-CBC-256\\x20[RFC3602]\",00112233445566778899aabbccddeeff,"
	    "00112233445566778899aabbccddeeff,\"AES-XCBC-96\"\n"
	    "  0102030405060700 , 1112131415161718 ,,, \"NULL\" , 00112233445566778899aabbccddeeff "
	    ","
	    "00112233445566778899aabbccddeeff,\"aes-cmac-96 [RFC4494]\"  \n");
	CHECK(load(&k, p) == 0);
	CHECK(k.nesp == 4 && k.nv2 == 3);

	const struct esp_keys *s = esp(&k, "192.168.100.200", "8.8.8.8", 0x1234abcd);
	CHECK(s && s == &k.esp[0] && s->enc.encr == ENCR_AES_CBC_ && s->integ.icv_len == 16);
	/* The last row (IPv4, everything "*") catches what the first does not. */
	CHECK(esp(&k, "192.169.100.200", "8.8.8.8", 0x1234abcd) == &k.esp[3]);
	CHECK(esp(&k, "192.168.1.1", "8.8.8.8", 0x1235abcd) == &k.esp[3]);
	s = k.nesp == 4 ? &k.esp[3] : NULL;
	CHECK(s && s->enc.encr == ENCR_3DES_ && s->integ.integ == INTEG_ANY_ &&
	      s->integ.icv_len == 12);
	/* "Any": both families; the literal was written as inet_ntop writes it. */
	s = esp(&k, "2001:db8:1::5", "3ffe::1", 0x99);
	CHECK(s && s == &k.esp[1] && s->family == 0 && !strcmp(s->dst, "3ffe::1") &&
	      s->enc.encr == ENCR_CHACHA20_POLY1305_ && s->enc.key_len == 36 &&
	      s->enc.salt_len == 4 && s->enc.icv_len == 16);
	CHECK(esp(&k, "2001:db8:1::5", "3ffe::2", 0x99) == NULL);
	/* IPv6 pattern and decimal-equivalent hex SPI. */
	s = esp(&k, "2001:db8::77", "3ffe::2", 10);
	CHECK(s && s == &k.esp[2] && s->enc.encr == ENCR_AES_GCM_ && s->enc.icv_len == 8);
	CHECK(esp(&k, "2001:db8::77", "3ffe::2", 11) == NULL);

	const struct ikev2_keys *e = v2(&k, "0102030405060708", "1112131415161718");
	CHECK(e && e->enc.encr == ENCR_CHACHA20_POLY1305_ && e->enc.key_len == 36 &&
	      e->enc.salt_len == 4 && e->enc.icv_len == 16 && e->integ.integ == INTEG_NONE_);
	e = v2(&k, "0102030405060709", "1112131415161718");
	CHECK(e && e->enc.encr == ENCR_AES_CBC_ && e->integ.integ == INTEG_AES_XCBC_ &&
	      e->integ.key_len == 16 && e->integ.icv_len == 12);
	e = v2(&k, "0102030405060700", "1112131415161718");
	CHECK(e && e->enc.encr == ENCR_NULL_ && e->integ.integ == INTEG_AES_CMAC_);
	keyring_free(&k);

	CHECK(!strcmp(dec_result_name(DEC_OK), "ok"));
	CHECK(!strcmp(dec_result_name(DEC_INTEGRITY), "integrity"));
	CHECK(!strcmp(dec_result_name(DEC_NO_KEYS), "no-keys"));
	CHECK(!strcmp(dec_result_name(DEC_UNSUPPORTED), "unsupported"));
	CHECK(!strcmp(psk_verdict_name(PSK_NOT_CHECKABLE), "not-checkable"));
	CHECK(!strcmp(psk_verdict_name(PSK_MATCH), "match"));
	CHECK(!strcmp(psk_verdict_name(PSK_MISMATCH), "mismatch"));
	CHECK(!strcmp(psk_verdict_name(PSK_UNCHECKED), "unchecked"));
}

/* The ikescope IKEV2 line: before the Wireshark row, after it, or in another file. */
static void
test_extension_line(void)
{
	struct keyring k;
	keyring_init(&k);
	const char *row = "1122334455667788,99aabbccddeeff00,000102030405060708090a0b0c0d0e0f,"
			  "101112131415161718191a1b1c1d1e1f,\"AES-CBC-128 [RFC3602]\","
			  "000102030405060708090a0b0c0d0e0f10111213,"
			  "101112131415161718191a1b1c1d1e1f20212223,\"HMAC_SHA1_96 [RFC2404]\"\n";
	char text[2048];
	snprintf(text, sizeof(text),
		 "IKEV2 1122334455667788 99aabbccddeeff00 SK_pr=2222222222222222222222222222222222"
		 "222222 SK_d=00112233445566778899aabbccddeeff00112233 "
		 "SK_pi=1111111111111111111111111111111111111111\n%s",
		 row);
	CHECK(load(&k, write_file("ext1", text)) == 0);
	CHECK(k.nv2 == 1);
	const struct ikev2_keys *e = v2(&k, "1122334455667788", "99aabbccddeeff00");
	CHECK(e && e->has_auth_keys && e->sk_d_len == 20 && e->sk_p_len == 20 &&
	      e->enc.encr == ENCR_AES_CBC_ && e->enc.key_len == 16 &&
	      bytes_eq(e->sk_d, "00112233445566778899aabbccddeeff00112233") &&
	      bytes_eq(e->sk_pi, "1111111111111111111111111111111111111111") &&
	      bytes_eq(e->sk_pr, "2222222222222222222222222222222222222222") &&
	      bytes_eq(e->sk_ai, "000102030405060708090a0b0c0d0e0f10111213"));
	keyring_free(&k);

	/* Wireshark row first, the line in a second file. */
	CHECK(load(&k, write_file("ext2a", row)) == 0);
	e = v2(&k, "1122334455667788", "99aabbccddeeff00");
	CHECK(e && !e->has_auth_keys);
	CHECK(load(&k, write_file("ext2b", "  IKEV2\t0x1122334455667788 99AABBCCDDEEFF00 "
					   "sk_d=0a0b SK_pi=0c0d SK_pr=0e0f  \n")) == 0);
	CHECK(k.nv2 == 1);
	e = v2(&k, "1122334455667788", "99aabbccddeeff00");
	CHECK(e && e->has_auth_keys && e->sk_d_len == 2 && e->sk_p_len == 2 &&
	      e->enc.encr == ENCR_AES_CBC_ && bytes_eq(e->sk_pr, "0e0f"));
	/* A line alone makes an entry with nothing to decrypt with. */
	CHECK(load(&k, write_file("ext3", "IKEV2 0000000000000001 0000000000000002 SK_d=01 "
					  "SK_pi=02 SK_pr=03\n")) == 0);
	e = v2(&k, "0000000000000001", "0000000000000002");
	CHECK(k.nv2 == 2 && e && e->has_auth_keys && e->enc.encr == ENCR_NONE_);
	keyring_free(&k);
}

struct bad {
	const char *name, *text, *err; /* err after "PATH:" */
};

/* Each bad file fails with one error naming the line; the keyring is untouched. */
static void
test_errors(void)
{
	static char long_line[5000];
	memset(long_line, 'a', sizeof(long_line) - 2);
	long_line[sizeof(long_line) - 2] = '\n';
	const char *good_v1 = "0102030405060708,00112233445566778899aabbccddeeff\n";
	const struct bad bad[] = {
	    {"keylen",
	     "# header\n191ccd371a7a1f7b,bc123d15e4af593f,00112233445566778899aabbccddeeff00112233,"
	     "00112233445566778899aabbccddeeff00112233,\"AES-CBC-256 [RFC3602]\",,,\"NONE\"\n",
	     "2: SK_ei is 20 bytes, AES-CBC-256 needs 32"},
	    {"unknown",
	     "1122334455667788,1122334455667788,,,\"AES-FOO-128 [RFC0]\",,,\"NONE [RFC4306]\"\n",
	     "1: unknown IKEv2 encryption algorithm \"AES-FOO-128 [RFC0]\""},
	    {"cookie17", "0102030405060708,00\n01020304050607080,00112233\n",
	     "2: initiator cookie is 17 hex digits, needs 16"},
	    {"quote",
	     "\"IPv4\",\"1.2.3.4\",\"5.6.7.8\",\"*\",\"NULL\",\"\",\"NULL\",\"\"\n"
	     "\"IPv4\",\"1.2.3.4\",\"5.6.7.8\",\"*\",\"NULL\",\"\",\"NULL\",\"\n",
	     "2: unterminated quoted string in field 8"},
	    {"toolong", long_line, "1: line longer than 4096 bytes"},
	    {"esplen",
	     "\"IPv4\",\"1.2.3.4\",\"5.6.7.8\",\"0x1\",\"AES-CBC [RFC3602]\",\"0x0011223344556677"
	     "8899aabbccddeeff00112233\",\"NULL\",\"\"\n",
	     "1: encryption key is 20 bytes, AES-CBC needs 16, 24 or 32"},
	    {"espauth",
	     "\"IPv4\",\"1.2.3.4\",\"5.6.7.8\",\"0x1\",\"NULL\",\"\",\"HMAC-SHA-3 [RFC0]\",\"\"\n",
	     "1: unknown ESP authentication algorithm \"HMAC-SHA-3 [RFC0]\""},
	    {"espaddr", "\"IPv4\",\"1.2.3.400\",\"5.6.7.8\",\"0x1\",\"NULL\",\"\",\"NULL\",\"\"\n",
	     "1: source address \"1.2.3.400\" is not an IPv4 address"},
	    {"espspi",
	     "\"IPv4\",\"1.2.3.4\",\"5.6.7.8\",\"0x123456789\",\"NULL\",\"\",\"NULL\",\"\"\n",
	     "1: SPI \"0x123456789\" is not \"0x\" and up to 8 hex digits, a decimal number, "
	     "\"0x\" and 8 hex digits or '*', or \"*\""},
	    {"aead",
	     "1122334455667788,1122334455667788,00112233445566778899aabbccddeeff00112233,"
	     "00112233445566778899aabbccddeeff00112233,\"AES-GCM-128 with 16 octet ICV\","
	     "00112233445566778899aabbccddeeff00112233,00112233445566778899aabbccddeeff00112233,"
	     "\"HMAC_SHA1_96\"\n",
	     "1: AES-GCM-128 with 16 octet ICV is AEAD: the integrity algorithm must be NONE, not "
	     "HMAC_SHA1_96"},
	    {"odd", "0102030405060708,001\n",
	     "1: encryption key has an odd number of hex digits (3)"},
	    {"fields", "a,b,c\n",
	     "1: not a key line: 3 comma-separated fields "
	     "(ikev1_decryption_table rows have 2, ikev2_decryption_table 8, "
	     "esp_sa 8 or 10)"},
	    {"extmiss", "IKEV2 1122334455667788 1122334455667788 SK_d=00 SK_pi=11\n",
	     "1: IKEV2 line: SK_pr= is missing"},
	    {"extlen", "IKEV2 1122334455667788 1122334455667788 SK_d=00 SK_pi=11 SK_pr=2222\n",
	     "1: IKEV2 line: SK_pi is 1 bytes but SK_pr is 2"},
	    {"tcpdump", "ikev2 I 0x0001020304050607 0xc02e7a3031a03188 sha1:0x4ea8 aes128:0x3f44\n",
	     "1: tcpdump -E secrets lines are not supported: use an ikev2_decryption_table row"},
	};

	struct keyring k;
	keyring_init(&k);
	CHECK(load(&k, write_file("good", good_v1)) == 0);
	CHECK(k.nv1 == 1);
	struct ikev1_keys before = k.v1[0];

	char err[512], want[1024];
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		/* A good line first: it must not survive the bad one. */
		char text[6000];
		snprintf(text, sizeof(text), "%s", bad[i].text);
		const char *p = write_file(bad[i].name, text);
		char path[512];
		snprintf(path, sizeof(path), "%s", p);
		memset(err, 0, sizeof(err));
		CHECK(keyring_load(&k, path, err, sizeof(err)) == -1);
		snprintf(want, sizeof(want), "%s:%s", path, bad[i].err);
		if (strcmp(err, want)) {
			fprintf(stderr, "%s:\n  got  %s\n  want %s\n", bad[i].name, err, want);
			check_failures++;
		}
		CHECK(k.nv1 == 1 && k.nv2 == 0 && k.nesp == 0 &&
		      !memcmp(&k.v1[0], &before, sizeof(before)));
	}

	/* Good rows of every kind, then a bad one: nothing kept. */
	char text[4096];
	snprintf(text, sizeof(text),
		 "0102030405060709,00112233\n"
		 "IKEV2 1122334455667788 1122334455667788 SK_d=00 SK_pi=11 SK_pr=22\n"
		 "\"IPv4\",\"*\",\"*\",\"*\",\"NULL\",\"\",\"NULL\",\"\"\n"
		 "0102030405060708,ffff\n"
		 "0102030405060708,\n");
	const char *p = write_file("partial", text);
	CHECK(keyring_load(&k, p, err, sizeof(err)) == -1);
	snprintf(want, sizeof(want), "%s:5: encryption key is empty", p);
	CHECK(!strcmp(err, want));
	CHECK(k.nv1 == 1 && k.nv2 == 0 && k.nesp == 0 &&
	      !memcmp(&k.v1[0], &before, sizeof(before)));

	/* A missing file: "PATH: strerror". */
	snprintf(want, sizeof(want), "%s/missing", tmpdir);
	CHECK(keyring_load(&k, want, err, sizeof(err)) == -1);
	strcat(want, ": No such file or directory");
	CHECK(!strcmp(err, want));

	/* At most KEYRING_MAX entries of a kind. */
	snprintf(want, sizeof(want), "%s/many", tmpdir);
	FILE *f = fopen(want, "w");
	CHECK(f != NULL);
	for (unsigned i = 0; f && i < KEYRING_MAX; i++)
		fprintf(f, "%016x,0011\n", i + 0x100);
	if (f)
		fclose(f);
	CHECK(keyring_load(&k, want, err, sizeof(err)) == -1);
	char want2[2048];
	snprintf(want2, sizeof(want2), "%s:%d: more than %d IKEv1 entries", want, KEYRING_MAX,
		 KEYRING_MAX);
	CHECK(!strcmp(err, want2));
	CHECK(k.nv1 == 1);
	/* Without the one already loaded, the same file fits. */
	keyring_free(&k);
	CHECK(load(&k, want) == 0);
	CHECK(k.nv1 == KEYRING_MAX);
	CHECK(v1(&k, "0000000000001000") && v1(&k, "00000000000010ff"));
	keyring_free(&k);
}

int
main(void)
{
	shared = getenv("SHARED");
	srcdir = getenv("SRCDIR");
	if (!shared || !srcdir || access(shared, R_OK) != 0)
		return 77;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_keys.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_wireshark_config();
	test_wiki_samples();
	test_samples();
	test_wildcards_and_names();
	test_extension_line();
	test_errors();

	DIR *d = opendir(tmpdir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		char p[600];
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmpdir, de->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(tmpdir);
	if (check_failures)
		fprintf(stderr, "%d check(s) failed\n", check_failures);
	return check_failures ? 1 : 0;
}
