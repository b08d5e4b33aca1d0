/*
 * Key files: Wireshark's ikev2_decryption_table, ikev1_decryption_table and
 * esp_sa UAT files (epan/uat.c conventions: one record per line, fields
 * separated by ',', strings double-quoted with \xHH escapes, byte fields as
 * bare hex), plus one ikescope line.  Each line's format is recognised by its
 * content, so the formats may be mixed in one file; '#' lines and blank lines
 * are skipped.
 *
 *   ikev1_decryption_table   COOKIEi,KEY
 *       0102030405060708,00112233445566778899aabbccddeeff
 *   ikev2_decryption_table   SPIi,SPIr,SK_ei,SK_er,"ENCR",SK_ai,SK_ar,"INTEG"
 *       0102030405060708,1112131415161718,0011..eeff,0011..eeff,"AES-CBC-128 [RFC3602]",
 *       0011..8899,0011..8899,"HMAC_SHA1_96 [RFC2404]"                 (one line)
 *   esp_sa                   "PROTO","SRC","DST","SPI","ENCR","EKEY","AUTH","AKEY"[,"SN","ESNHI"]
 *       "IPv4","192.0.2.*","*","0x12345678","AES-CBC [RFC3602]","0x0011..eeff",
 *       "HMAC-SHA-1-96 [RFC2404]","0x0011..8899"                        (one line)
 *
 * The ikescope extension line carries the IKEv2 keys no Wireshark table has
 * (anchors-mission §4.6), needed to recompute AUTH (RFC 7296 §2.15):
 *
 *   IKEV2 <SPIi-hex> <SPIr-hex> SK_d=<hex> SK_pi=<hex> SK_pr=<hex>
 *
 * separated by blanks, the three keys in any order, SK_pi and SK_pr of the
 * same length.  It adds SK_d/SK_pi/SK_pr to the IKEv2 entry with the same
 * SPIs, before or after that entry's Wireshark row, in this file or an
 * earlier one; alone it makes an entry whose enc.encr is ENCR_NONE_ (no
 * SK_e/SK_a: nothing to decrypt with).
 *
 * Algorithm names are matched case-insensitively and the bracketed reference
 * ("[RFC3602]") may be left out.  Beyond Wireshark, the IKEv2 table accepts
 * "ChaCha20-Poly1305 [RFC7634]", "AES-XCBC-96" and "AES-CMAC-96".  Key lengths
 * are checked against the algorithm, as Wireshark does.  A bad line makes the
 * whole file fail ("FILE:LINE: what is wrong") and nothing of it is kept: the
 * file is parsed into a scratch keyring and merged only once it all parsed.
 * Key bytes never appear in an error message.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/rd.h"
#include "crypto/crypto.h"

#define KEYS_LINE_MAX	4096
#define KEYS_FIELDS_MAX 10
#define KEYS_NAME_SHOW	64  /* characters of an unknown name quoted back */
#define ALG_ANY_KEY	0x1 /* unimplemented algorithm: any key up to CRYPTO_MAX_KEY */
#define ALG_KEY_IGNORED 0x2 /* NULL / "ANY n bit": the key field does not matter */

/* Where we are, for "FILE:LINE: what is wrong". */
struct keys_ctx {
	const char *path;
	unsigned long line;
	char *err;
	size_t errlen;
};

/* One comma-separated field of a UAT line, unquoted and unescaped. */
struct field {
	const char *s; /* may hold NUL bytes (\x00): always use len */
	size_t len;
	bool quoted;
};

struct fields {
	struct field f[KEYS_FIELDS_MAX];
	size_t n;
	char buf[KEYS_LINE_MAX + 1]; /* decoded text: never longer than the line */
	size_t used;
};

/* An algorithm name of a table, with the key lengths it takes. */
struct alg_name {
	const char *name;   /* without the bracketed reference */
	int alg;	    /* enum dec_encr or enum dec_integ */
	uint8_t key_len[3]; /* accepted lengths; {0} and no flag: exactly 0 */
	uint8_t salt_len, icv_len;
	uint8_t flags;
};

/* ikev2_decryption_table "Encryption algorithm" (Wireshark ikev2_encr_algs). */
static const struct alg_name ikev2_encr_names[] = {
    {"NULL", ENCR_NULL_, {0}, 0, 0, 0},
    {"3DES", ENCR_3DES_, {24}, 0, 0, 0},
    {"AES-CBC-128", ENCR_AES_CBC_, {16}, 0, 0, 0},
    {"AES-CBC-192", ENCR_AES_CBC_, {24}, 0, 0, 0},
    {"AES-CBC-256", ENCR_AES_CBC_, {32}, 0, 0, 0},
    {"AES-CTR-128", ENCR_AES_CTR_, {20}, 4, 0, 0},
    {"AES-CTR-192", ENCR_AES_CTR_, {28}, 4, 0, 0},
    {"AES-CTR-256", ENCR_AES_CTR_, {36}, 4, 0, 0},
    {"AES-GCM-128 with 8 octet ICV", ENCR_AES_GCM_, {20}, 4, 8, 0},
    {"AES-GCM-192 with 8 octet ICV", ENCR_AES_GCM_, {28}, 4, 8, 0},
    {"AES-GCM-256 with 8 octet ICV", ENCR_AES_GCM_, {36}, 4, 8, 0},
    {"AES-GCM-128 with 12 octet ICV", ENCR_AES_GCM_, {20}, 4, 12, 0},
    {"AES-GCM-192 with 12 octet ICV", ENCR_AES_GCM_, {28}, 4, 12, 0},
    {"AES-GCM-256 with 12 octet ICV", ENCR_AES_GCM_, {36}, 4, 12, 0},
    {"AES-GCM-128 with 16 octet ICV", ENCR_AES_GCM_, {20}, 4, 16, 0},
    {"AES-GCM-192 with 16 octet ICV", ENCR_AES_GCM_, {28}, 4, 16, 0},
    {"AES-GCM-256 with 16 octet ICV", ENCR_AES_GCM_, {36}, 4, 16, 0},
    {"AES-CCM-128 with 8 octet ICV", ENCR_AES_CCM_, {19}, 3, 8, 0},
    {"AES-CCM-192 with 8 octet ICV", ENCR_AES_CCM_, {27}, 3, 8, 0},
    {"AES-CCM-256 with 8 octet ICV", ENCR_AES_CCM_, {35}, 3, 8, 0},
    {"AES-CCM-128 with 12 octet ICV", ENCR_AES_CCM_, {19}, 3, 12, 0},
    {"AES-CCM-192 with 12 octet ICV", ENCR_AES_CCM_, {27}, 3, 12, 0},
    {"AES-CCM-256 with 12 octet ICV", ENCR_AES_CCM_, {35}, 3, 12, 0},
    {"AES-CCM-128 with 16 octet ICV", ENCR_AES_CCM_, {19}, 3, 16, 0},
    {"AES-CCM-192 with 16 octet ICV", ENCR_AES_CCM_, {27}, 3, 16, 0},
    {"AES-CCM-256 with 16 octet ICV", ENCR_AES_CCM_, {35}, 3, 16, 0},
    {"ChaCha20-Poly1305", ENCR_CHACHA20_POLY1305_, {36}, 4, 16, 0},
    {NULL, 0, {0}, 0, 0, 0},
};

/* ikev2_decryption_table "Integrity algorithm" (Wireshark ikev2_auth_algs). */
static const struct alg_name ikev2_integ_names[] = {
    {"HMAC_MD5_96", INTEG_HMAC_MD5_, {16}, 0, 12, 0},
    {"HMAC_SHA1_96", INTEG_HMAC_SHA1_, {20}, 0, 12, 0},
    {"HMAC_MD5_128", INTEG_HMAC_MD5_, {16}, 0, 16, 0},
    {"HMAC_SHA1_160", INTEG_HMAC_SHA1_, {20}, 0, 20, 0},
    {"HMAC_SHA2_256_96", INTEG_HMAC_SHA256_, {32}, 0, 12, 0},
    {"HMAC_SHA2_256_128", INTEG_HMAC_SHA256_, {32}, 0, 16, 0},
    {"HMAC_SHA2_384_192", INTEG_HMAC_SHA384_, {48}, 0, 24, 0},
    {"HMAC_SHA2_512_256", INTEG_HMAC_SHA512_, {64}, 0, 32, 0},
    {"NONE", INTEG_NONE_, {0}, 0, 0, 0},
    {"ANY 64-bits of Authentication", INTEG_ANY_, {0}, 0, 8, 0},
    {"ANY 96-bits of Authentication", INTEG_ANY_, {0}, 0, 12, 0},
    {"ANY 128-bits of Authentication", INTEG_ANY_, {0}, 0, 16, 0},
    {"ANY 160-bits of Authentication", INTEG_ANY_, {0}, 0, 20, 0},
    {"ANY 192-bits of Authentication", INTEG_ANY_, {0}, 0, 24, 0},
    {"ANY 256-bits of Authentication", INTEG_ANY_, {0}, 0, 32, 0},
    {"AES-XCBC-96", INTEG_AES_XCBC_, {16}, 0, 12, 0},
    {"AES-CMAC-96", INTEG_AES_CMAC_, {16}, 0, 12, 0},
    {NULL, 0, {0}, 0, 0, 0},
};

/* esp_sa "Encryption" (Wireshark esp_encryption_type_vals). */
static const struct alg_name esp_encr_names[] = {
    {"NULL", ENCR_NULL_, {0}, 0, 0, ALG_KEY_IGNORED},
    {"TripleDES-CBC", ENCR_3DES_, {24}, 0, 0, 0},
    {"AES-CBC", ENCR_AES_CBC_, {16, 24, 32}, 0, 0, 0},
    {"AES-CTR", ENCR_AES_CTR_, {20, 28, 36}, 4, 0, 0},
    {"DES-CBC", ENCR_DES_, {8}, 0, 0, 0},
    {"CAST5-CBC", ENCR_UNSUPPORTED_, {0}, 0, 0, ALG_ANY_KEY},
    {"BLOWFISH-CBC", ENCR_UNSUPPORTED_, {0}, 0, 0, ALG_ANY_KEY},
    {"TWOFISH-CBC", ENCR_UNSUPPORTED_, {0}, 0, 0, ALG_ANY_KEY},
    {"AES-GCM with 8 octet ICV", ENCR_AES_GCM_, {20, 28, 36}, 4, 8, 0},
    {"AES-GCM with 12 octet ICV", ENCR_AES_GCM_, {20, 28, 36}, 4, 12, 0},
    {"AES-GCM with 16 octet ICV", ENCR_AES_GCM_, {20, 28, 36}, 4, 16, 0},
    {"AES-GCM", ENCR_AES_GCM_, {20, 28, 36}, 4, 16, 0},
    /* RFC 8750 implicit IV: Wireshark master only, not implemented here. */
    {"AES-GCM with IIV and 16 octet ICV", ENCR_UNSUPPORTED_, {0}, 4, 16, ALG_ANY_KEY},
    {"ChaCha20 with Poly1305", ENCR_CHACHA20_POLY1305_, {36}, 4, 16, 0},
    {"ChaCha20 with Poly1305 and IIV", ENCR_UNSUPPORTED_, {0}, 4, 16, ALG_ANY_KEY},
    {NULL, 0, {0}, 0, 0, 0},
};

/* esp_sa "Authentication" (Wireshark esp_authentication_type_vals). */
static const struct alg_name esp_integ_names[] = {
    {"NULL", INTEG_NONE_, {0}, 0, 0, ALG_KEY_IGNORED},
    {"HMAC-SHA-1-96", INTEG_HMAC_SHA1_, {20}, 0, 12, 0},
    {"HMAC-SHA-256-96", INTEG_HMAC_SHA256_, {32}, 0, 12, 0},
    {"HMAC-SHA-256-128", INTEG_HMAC_SHA256_, {32}, 0, 16, 0},
    {"HMAC-SHA-384-192", INTEG_HMAC_SHA384_, {48}, 0, 24, 0},
    {"HMAC-SHA-512-256", INTEG_HMAC_SHA512_, {64}, 0, 32, 0},
    {"HMAC-MD5-96", INTEG_HMAC_MD5_, {16}, 0, 12, 0},
    {"MAC-RIPEMD-160-96", INTEG_UNSUPPORTED_, {0}, 0, 12, ALG_ANY_KEY},
    {"ANY 64 bit authentication", INTEG_ANY_, {0}, 0, 8, ALG_KEY_IGNORED},
    {"ANY 96 bit authentication", INTEG_ANY_, {0}, 0, 12, ALG_KEY_IGNORED},
    {"ANY 128 bit authentication", INTEG_ANY_, {0}, 0, 16, ALG_KEY_IGNORED},
    {"ANY 192 bit authentication", INTEG_ANY_, {0}, 0, 24, ALG_KEY_IGNORED},
    {"ANY 256 bit authentication", INTEG_ANY_, {0}, 0, 32, ALG_KEY_IGNORED},
    {NULL, 0, {0}, 0, 0, 0},
};

static int keys_fail(struct keys_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
keys_fail(struct keys_ctx *c, const char *fmt, ...)
{
	if (!c->err || c->errlen == 0)
		return -1;
	int n = snprintf(c->err, c->errlen, "%s:%lu: ", c->path, c->line);
	if (n < 0 || (size_t)n >= c->errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A name from the file, quoted back in an error: printable and bounded. */
static const char *
keys_show(const struct field *f, char out[KEYS_NAME_SHOW + 4])
{
	size_t o = 0;
	for (size_t i = 0; i < f->len && o < KEYS_NAME_SHOW; i++) {
		unsigned char ch = (unsigned char)f->s[i];
		out[o++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
	}
	if (f->len > KEYS_NAME_SHOW)
		out[o++] = '.', out[o++] = '.', out[o++] = '.';
	out[o] = '\0';
	return out;
}

static bool
keys_blank(uint8_t ch)
{
	return ch == ' ' || ch == '\t';
}

static void
keys_skip_blanks(struct rd *r)
{
	uint8_t ch;
	while (rd_peek_u8(r, 0, &ch) && keys_blank(ch))
		rd_skip(r, 1);
}

static int
keys_hexval(uint8_t ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * Splits a UAT line into fields: each bare (up to the next ',', blanks around
 * it dropped) or "quoted" with Wireshark's \xHH escapes (and \" \\ besides).
 */
static int
keys_split(struct keys_ctx *c, struct rd *r, struct fields *fs)
{
	fs->n = 0;
	fs->used = 0;
	for (;;) {
		uint8_t ch;
		keys_skip_blanks(r);
		/* The widest row (esp_sa with SN and ESN) has 10 fields. */
		if (fs->n == KEYS_FIELDS_MAX)
			return keys_fail(c, "more than %d comma-separated fields", KEYS_FIELDS_MAX);
		struct field *f = &fs->f[fs->n++];
		f->s = fs->buf + fs->used;
		f->len = 0;
		f->quoted = rd_peek_u8(r, 0, &ch) && ch == '"';
		if (f->quoted) {
			rd_skip(r, 1);
			for (;;) {
				if (!rd_peek_u8(r, 0, &ch))
					return keys_fail(
					    c, "unterminated quoted string in field %zu", fs->n);
				rd_skip(r, 1);
				if (ch == '"')
					break;
				if (ch == '\\') {
					uint8_t e = 0, h1 = 0, h2 = 0;
					if (!rd_peek_u8(r, 0, &e))
						return keys_fail(
						    c, "unterminated quoted string in field %zu",
						    fs->n);
					if (e == 'x' && rd_peek_u8(r, 1, &h1) &&
					    rd_peek_u8(r, 2, &h2) && keys_hexval(h1) >= 0 &&
					    keys_hexval(h2) >= 0) {
						rd_skip(r, 3);
						ch = (uint8_t)(keys_hexval(h1) << 4 |
							       keys_hexval(h2));
					} else if (e == '"' || e == '\\') {
						rd_skip(r, 1);
						ch = e;
					} else {
						return keys_fail(c,
								 "bad escape in field %zu "
								 "(Wireshark writes \\xHH)",
								 fs->n);
					}
				}
				/* Decoded text is never longer than the line it came from. */
				if (fs->used >= KEYS_LINE_MAX)
					return keys_fail(c, "line too long");
				fs->buf[fs->used++] = (char)ch;
				f->len++;
			}
			keys_skip_blanks(r);
		} else {
			size_t trail = 0; /* blanks at the end, dropped */
			while (rd_peek_u8(r, 0, &ch) && ch != ',') {
				if (ch == '"')
					return keys_fail(c, "stray '\"' in field %zu", fs->n);
				rd_skip(r, 1);
				if (fs->used >= KEYS_LINE_MAX)
					return keys_fail(c, "line too long");
				fs->buf[fs->used++] = (char)ch;
				f->len++;
				trail = keys_blank(ch) ? trail + 1 : 0;
			}
			f->len -= trail;
		}
		if (!rd_peek_u8(r, 0, &ch))
			return 0;
		if (ch != ',')
			return keys_fail(c, "text after the closing quote of field %zu", fs->n);
		rd_skip(r, 1);
	}
}

static bool
keys_eq_nocase(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return false;
	return true;
}

/* "AES-CBC-256 [RFC3602]" and "aes-cbc-256" both name AES-CBC-256. */
static const struct alg_name *
keys_find_alg(const struct alg_name *tab, const struct field *f)
{
	size_t len = f->len;
	while (len && keys_blank((uint8_t)f->s[len - 1]))
		len--;
	if (len && f->s[len - 1] == ']') {
		size_t open = len;
		while (open && f->s[open - 1] != '[')
			open--;
		if (open) {
			len = open - 1;
			while (len && keys_blank((uint8_t)f->s[len - 1]))
				len--;
		}
	}
	for (const struct alg_name *a = tab; a->name; a++)
		if (keys_eq_nocase(f->s, len, a->name))
			return a;
	return NULL;
}

/*
 * Hex bytes of a key field (an optional 0x before them).  Returns 0, or -1
 * with the error written naming the field.
 */
static int
keys_hex(struct keys_ctx *c, const char *what, const char *s, size_t len, uint8_t *out, size_t cap,
	 size_t *outlen)
{
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2, len -= 2;
	for (size_t i = 0; i < len; i++)
		if (keys_hexval((uint8_t)s[i]) < 0)
			return keys_fail(c, "%s: character %zu is not a hex digit", what, i + 1);
	if (len % 2)
		return keys_fail(c, "%s has an odd number of hex digits (%zu)", what, len);
	if (len / 2 > cap)
		return keys_fail(c, "%s is %zu bytes, at most %zu", what, len / 2, cap);
	for (size_t i = 0; i < len / 2; i++)
		out[i] = (uint8_t)(keys_hexval((uint8_t)s[2 * i]) << 4 |
				   keys_hexval((uint8_t)s[2 * i + 1]));
	*outlen = len / 2;
	return 0;
}

/* An SPI or cookie: exactly 8 bytes. */
static int
keys_hex8(struct keys_ctx *c, const char *what, const char *s, size_t len, uint8_t out[8])
{
	size_t n = len;
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		n -= 2;
	/* Wireshark's UAT wants exactly 8 bytes: say how far off the field is. */
	if (n != 16)
		return keys_fail(c, "%s is %zu hex digits, needs 16", what, n);
	size_t got = 0;
	return keys_hex(c, what, s, len, out, 8, &got);
}

/* The lengths an algorithm accepts, for an error message: "16, 24 or 32". */
static const char *
keys_lens_str(const struct alg_name *a, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_LEN(a->key_len) && (i == 0 || a->key_len[i]); i++) {
		bool last = i + 1 == ARRAY_LEN(a->key_len) || !a->key_len[i + 1];
		int w = snprintf(buf + n, cap - n, "%s%u",
				 i == 0 ? ""
				 : last ? " or "
					: ", ",
				 (unsigned)a->key_len[i]);
		if (w < 0 || (size_t)w >= cap - n)
			break;
		n += (size_t)w;
	}
	return buf;
}

static bool
keys_len_ok(const struct alg_name *a, size_t len)
{
	if (a->flags & (ALG_ANY_KEY | ALG_KEY_IGNORED))
		return true;
	for (size_t i = 0; i < ARRAY_LEN(a->key_len) && (i == 0 || a->key_len[i]); i++)
		if (a->key_len[i] == len)
			return true;
	return false;
}

static int
keys_check_len(struct keys_ctx *c, const char *what, const struct alg_name *a, size_t len)
{
	char lens[32];
	if (keys_len_ok(a, len))
		return 0;
	return keys_fail(c, "%s is %zu bytes, %s needs %s", what, len, a->name,
			 keys_lens_str(a, lens, sizeof(lens)));
}

static bool
keys_is_aead(int encr)
{
	return encr == ENCR_AES_GCM_ || encr == ENCR_AES_CCM_ || encr == ENCR_CHACHA20_POLY1305_;
}

/* The keyring's arrays grow by doubling: capacity is implied by n. */
static void *
keys_grow(void *p, size_t n, size_t size)
{
	if (n == 0 || (n & (n - 1)) == 0)
		return xrealloc(p, n < 4 ? 4 : 2 * n, size);
	return p;
}

static struct ikev2_keys *
keys_v2_find(const struct keyring *k, const uint8_t spi_i[8], const uint8_t spi_r[8])
{
	for (size_t i = 0; i < k->nv2; i++)
		if (!memcmp(k->v2[i].spi_i, spi_i, 8) && !memcmp(k->v2[i].spi_r, spi_r, 8))
			return &k->v2[i];
	return NULL;
}

/*
 * The entry for these SPIs in the scratch keyring t, made if need be; the
 * count limit takes into account what the real keyring k already holds.
 */
static struct ikev2_keys *
keys_v2_slot(struct keys_ctx *c, struct keyring *t, const struct keyring *k, const uint8_t spi_i[8],
	     const uint8_t spi_r[8], size_t *fresh)
{
	struct ikev2_keys *e = keys_v2_find(t, spi_i, spi_r);
	if (e)
		return e;
	bool merges = keys_v2_find(k, spi_i, spi_r) != NULL;
	if (!merges && k->nv2 + *fresh >= KEYRING_MAX) {
		keys_fail(c, "more than %d IKEv2 entries", KEYRING_MAX);
		return NULL;
	}
	t->v2 = keys_grow(t->v2, t->nv2, sizeof(*t->v2));
	e = &t->v2[t->nv2++];
	memset(e, 0, sizeof(*e));
	memcpy(e->spi_i, spi_i, 8);
	memcpy(e->spi_r, spi_r, 8);
	if (!merges)
		(*fresh)++;
	return e;
}

/* An ikev2_decryption_table row: SPIi,SPIr,SK_ei,SK_er,"ENCR",SK_ai,SK_ar,"INTEG". */
static int
keys_ikev2_row(struct keys_ctx *c, const struct fields *fs, struct keyring *t,
	       const struct keyring *k, size_t *fresh)
{
	const struct field *f = fs->f;
	uint8_t spi_i[8], spi_r[8];
	struct ikev2_keys v;
	char show[KEYS_NAME_SHOW + 4];
	size_t ei, er, ai, ar;

	memset(&v, 0, sizeof(v));
	if (keys_hex8(c, "SPIi", f[0].s, f[0].len, spi_i) ||
	    keys_hex8(c, "SPIr", f[1].s, f[1].len, spi_r))
		return -1;
	const struct alg_name *en = keys_find_alg(ikev2_encr_names, &f[4]);
	if (!en)
		return keys_fail(c, "unknown IKEv2 encryption algorithm \"%s\"",
				 keys_show(&f[4], show));
	const struct alg_name *in = keys_find_alg(ikev2_integ_names, &f[7]);
	if (!in)
		return keys_fail(c, "unknown IKEv2 integrity algorithm \"%s\"",
				 keys_show(&f[7], show));
	/* An AEAD's tag is its integrity check (RFC 5282 §8): a second one is a mistake. */
	if (keys_is_aead(en->alg) && in->alg != INTEG_NONE_)
		return keys_fail(c, "%s is AEAD: the integrity algorithm must be NONE, not %s",
				 en->name, in->name);
	if (keys_hex(c, "SK_ei", f[2].s, f[2].len, v.sk_ei, CRYPTO_MAX_KEY, &ei) ||
	    keys_hex(c, "SK_er", f[3].s, f[3].len, v.sk_er, CRYPTO_MAX_KEY, &er) ||
	    keys_hex(c, "SK_ai", f[5].s, f[5].len, v.sk_ai, CRYPTO_MAX_KEY, &ai) ||
	    keys_hex(c, "SK_ar", f[6].s, f[6].len, v.sk_ar, CRYPTO_MAX_KEY, &ar))
		return -1;
	if (keys_check_len(c, "SK_ei", en, ei) || keys_check_len(c, "SK_er", en, er) ||
	    keys_check_len(c, "SK_ai", in, ai) || keys_check_len(c, "SK_ar", in, ar))
		return -1;

	struct ikev2_keys *e = keys_v2_slot(c, t, k, spi_i, spi_r, fresh);
	if (!e)
		return -1;
	e->enc.encr = (enum dec_encr)en->alg;
	e->enc.key_len = en->key_len[0];
	e->enc.salt_len = en->salt_len;
	e->enc.icv_len = en->icv_len;
	e->integ.integ = (enum dec_integ)in->alg;
	e->integ.key_len = in->key_len[0];
	e->integ.icv_len = in->icv_len;
	memcpy(e->sk_ei, v.sk_ei, sizeof(e->sk_ei));
	memcpy(e->sk_er, v.sk_er, sizeof(e->sk_er));
	memcpy(e->sk_ai, v.sk_ai, sizeof(e->sk_ai));
	memcpy(e->sk_ar, v.sk_ar, sizeof(e->sk_ar));
	return 0;
}

/* An ikev1_decryption_table row: COOKIEi,KEY. */
static int
keys_ikev1_row(struct keys_ctx *c, const struct fields *fs, struct keyring *t,
	       const struct keyring *k)
{
	struct ikev1_keys v;
	size_t len = 0;

	memset(&v, 0, sizeof(v));
	if (keys_hex8(c, "initiator cookie", fs->f[0].s, fs->f[0].len, v.cookie_i) ||
	    keys_hex(c, "encryption key", fs->f[1].s, fs->f[1].len, v.key, CRYPTO_MAX_KEY, &len))
		return -1;
	/* Wireshark: 1 to 256 bytes; ours are bounded by CRYPTO_MAX_KEY above. */
	if (len == 0)
		return keys_fail(c, "encryption key is empty");
	v.key_len = (uint8_t)len;
	for (size_t i = 0; i < t->nv1; i++)
		if (!memcmp(t->v1[i].cookie_i, v.cookie_i, 8)) {
			t->v1[i] = v; /* a later row for the same cookie replaces it */
			return 0;
		}
	if (k->nv1 + t->nv1 >= KEYRING_MAX)
		return keys_fail(c, "more than %d IKEv1 entries", KEYRING_MAX);
	t->v1 = keys_grow(t->v1, t->nv1, sizeof(*t->v1));
	t->v1[t->nv1++] = v;
	return 0;
}

/*
 * An esp_sa address: a literal (kept in inet_ntop form, so that a textual
 * match is an address match) or a pattern with '*' wildcards.
 */
static int
keys_esp_addr(struct keys_ctx *c, const char *what, const struct field *f, uint8_t family,
	      char out[IP_ADDR_STRLEN])
{
	char tmp[IP_ADDR_STRLEN];
	char show[KEYS_NAME_SHOW + 4];
	bool wild = false;

	if (f->len == 0)
		return keys_fail(c, "%s address is empty (\"*\" matches any)", what);
	if (f->len >= IP_ADDR_STRLEN)
		return keys_fail(c, "%s address is %zu characters, at most %d", what, f->len,
				 IP_ADDR_STRLEN - 1);
	for (size_t i = 0; i < f->len; i++) {
		unsigned char ch = (unsigned char)f->s[i];
		if (ch == '*')
			wild = true;
		else if (!isxdigit(ch) && ch != '.' && ch != ':')
			return keys_fail(c, "%s address \"%s\": '%c' is not allowed", what,
					 keys_show(f, show), isprint(ch) ? ch : '?');
		tmp[i] = (char)tolower(ch);
	}
	tmp[f->len] = '\0';
	if (wild) {
		memcpy(out, tmp, f->len + 1);
		return 0;
	}
	uint8_t bin[16];
	if ((family == 4 || family == 0) && inet_pton(AF_INET, tmp, bin) == 1) {
		inet_ntop(AF_INET, bin, out, IP_ADDR_STRLEN);
		return 0;
	}
	if ((family == 6 || family == 0) && inet_pton(AF_INET6, tmp, bin) == 1) {
		inet_ntop(AF_INET6, bin, out, IP_ADDR_STRLEN);
		return 0;
	}
	return keys_fail(c, "%s address \"%s\" is not an %s address", what, tmp,
			 family == 4   ? "IPv4"
			 : family == 6 ? "IPv6"
				       : "IP");
}

/*
 * An esp_sa SPI, kept as "0x" and 8 lower-case hex digits ('*' for any digit)
 * or "*": "0x12345678", "0x1234****", decimal "10", "*".
 */
static int
keys_esp_spi(struct keys_ctx *c, const struct field *f, char out[16])
{
	char show[KEYS_NAME_SHOW + 4];
	const char *s = f->s;
	size_t len = f->len;

	if (len == 1 && s[0] == '*') {
		memcpy(out, "*", 2);
		return 0;
	}
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		bool wild = false, ok = len - 2 <= 8;
		uint32_t v = 0;
		for (size_t i = 2; ok && i < len; i++) {
			if (s[i] == '*')
				wild = true;
			else if (keys_hexval((uint8_t)s[i]) < 0)
				ok = false;
			else
				v = v << 4 | (uint32_t)keys_hexval((uint8_t)s[i]);
		}
		/* A digit wildcard only makes sense at a fixed position: all 8 digits given. */
		if (ok && wild && len == 10) {
			out[0] = '0', out[1] = 'x';
			for (size_t i = 2; i < 10; i++)
				out[i] = (char)tolower((unsigned char)s[i]);
			out[10] = '\0';
			return 0;
		}
		if (ok && !wild) {
			snprintf(out, 16, "0x%08x", v);
			return 0;
		}
	} else if (len > 0 && len <= 10) {
		uint64_t v = 0;
		size_t i = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			v = v * 10 + (uint64_t)(s[i++] - '0');
		if (i == len && v <= UINT32_MAX) {
			snprintf(out, 16, "0x%08x", (unsigned)v);
			return 0;
		}
	}
	return keys_fail(c,
			 "SPI \"%s\" is not \"0x\" and up to 8 hex digits, a decimal number, "
			 "\"0x\" and 8 hex digits or '*', or \"*\"",
			 keys_show(f, show));
}

/*
 * esp_sa hex: Wireshark's compute_ascii_key reads an odd number of digits as
 * if a 0 came first (its own ipsec_esp_capture_5 sample has 31 digits).
 */
static int
keys_esp_hex(struct keys_ctx *c, const char *what, const char *s, size_t len, uint8_t *out,
	     size_t cap, size_t *outlen)
{
	char pad[2 * CRYPTO_MAX_KEY + 2];
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2, len -= 2;
	if (len % 2 == 0 || len + 1 > sizeof(pad))
		return keys_hex(c, what, s, len, out, cap, outlen);
	pad[0] = '0';
	memcpy(pad + 1, s, len);
	return keys_hex(c, what, pad, len + 1, out, cap, outlen);
}

/* An esp_sa key: "0x<hex>", "" or "0x" (none), or the ASCII bytes themselves. */
static int
keys_esp_key(struct keys_ctx *c, const char *what, const struct field *f, uint8_t *out,
	     size_t *outlen)
{
	if (f->len >= 2 && f->s[0] == '0' && (f->s[1] == 'x' || f->s[1] == 'X'))
		return keys_esp_hex(c, what, f->s, f->len, out, CRYPTO_MAX_KEY, outlen);
	if (f->len > CRYPTO_MAX_KEY)
		return keys_fail(c, "%s is %zu bytes, at most %d", what, f->len, CRYPTO_MAX_KEY);
	memcpy(out, f->s, f->len);
	*outlen = f->len;
	return 0;
}

/* An esp_sa row: "PROTO","SRC","DST","SPI","ENCR","EKEY","AUTH","AKEY"[,"SN","ESNHI"]. */
static int
keys_esp_row(struct keys_ctx *c, const struct fields *fs, struct keyring *t,
	     const struct keyring *k)
{
	const struct field *f = fs->f;
	struct esp_keys v;
	char show[KEYS_NAME_SHOW + 4];
	size_t elen = 0, alen = 0;

	memset(&v, 0, sizeof(v));
	if (keys_eq_nocase(f[0].s, f[0].len, "IPv4"))
		v.family = 4;
	else if (keys_eq_nocase(f[0].s, f[0].len, "IPv6"))
		v.family = 6;
	else if (!keys_eq_nocase(f[0].s, f[0].len, "Any"))
		return keys_fail(c, "protocol \"%s\" is not IPv4, IPv6 or Any",
				 keys_show(&f[0], show));
	if (keys_esp_addr(c, "source", &f[1], v.family, v.src) ||
	    keys_esp_addr(c, "destination", &f[2], v.family, v.dst) ||
	    keys_esp_spi(c, &f[3], v.spi))
		return -1;
	const struct alg_name *en = keys_find_alg(esp_encr_names, &f[4]);
	if (!en)
		return keys_fail(c, "unknown ESP encryption algorithm \"%s\"",
				 keys_show(&f[4], show));
	const struct alg_name *in = keys_find_alg(esp_integ_names, &f[6]);
	if (!in)
		return keys_fail(c, "unknown ESP authentication algorithm \"%s\"",
				 keys_show(&f[6], show));
	/* RFC 4106 §8 / RFC 7634 §2: the AEAD tag is the ICV, no separate authentication. */
	if (keys_is_aead(en->alg) && in->alg != INTEG_NONE_)
		return keys_fail(c, "%s is AEAD: the authentication must be NULL, not %s", en->name,
				 in->name);
	if (keys_esp_key(c, "encryption key", &f[5], v.ekey, &elen) ||
	    keys_esp_key(c, "authentication key", &f[7], v.akey, &alen))
		return -1;
	if (en->flags & ALG_KEY_IGNORED)
		elen = 0, memset(v.ekey, 0, sizeof(v.ekey));
	if (in->flags & ALG_KEY_IGNORED)
		alen = 0, memset(v.akey, 0, sizeof(v.akey));
	if (keys_check_len(c, "encryption key", en, elen) ||
	    keys_check_len(c, "authentication key", in, alen))
		return -1;
	if (fs->n == 10) {
		/* Wireshark master's sequence-number columns: checked, not kept. */
		if (!keys_eq_nocase(f[8].s, f[8].len, "32-bit") &&
		    !keys_eq_nocase(f[8].s, f[8].len, "64-bit") && f[8].len != 0)
			return keys_fail(c, "SN \"%s\" is not 32-bit or 64-bit",
					 keys_show(&f[8], show));
		uint8_t hi[CRYPTO_MAX_KEY];
		size_t hilen = 0;
		if (keys_esp_hex(c, "ESN high bits", f[9].s, f[9].len, hi, 4, &hilen))
			return -1;
	}
	v.enc.encr = (enum dec_encr)en->alg;
	v.enc.key_len = (uint8_t)elen;
	v.enc.salt_len = en->salt_len;
	v.enc.icv_len = en->icv_len;
	v.integ.integ = (enum dec_integ)in->alg;
	v.integ.key_len = (uint8_t)alen;
	v.integ.icv_len = in->icv_len;
	if (k->nesp + t->nesp >= KEYRING_MAX)
		return keys_fail(c, "more than %d ESP entries", KEYRING_MAX);
	t->esp = keys_grow(t->esp, t->nesp, sizeof(*t->esp));
	t->esp[t->nesp++] = v;
	return 0;
}

/* One blank-separated word of an extension line. */
static struct span
keys_word(struct rd *r)
{
	struct span w = {NULL, 0};
	uint8_t ch;
	size_t n = 0;
	keys_skip_blanks(r);
	while (rd_peek_u8(r, n, &ch) && !keys_blank(ch))
		n++;
	rd_bytes(r, n, &w);
	return w;
}

/* IKEV2 <SPIi> <SPIr> SK_d=<hex> SK_pi=<hex> SK_pr=<hex>, the ikescope extension. */
static int
keys_ext_line(struct keys_ctx *c, struct rd *r, struct keyring *t, const struct keyring *k,
	      size_t *fresh)
{
	static const char *const names[3] = {"SK_d", "SK_pi", "SK_pr"};
	uint8_t spi_i[8], spi_r[8], key[3][CRYPTO_MAX_KEY];
	size_t len[3] = {0, 0, 0};
	bool seen[3] = {false, false, false};

	keys_word(r); /* "IKEV2" */
	struct span a = keys_word(r), b = keys_word(r);
	/* tcpdump's "ikev2 I|R <spii> <spir> ..." is not this line: say so. */
	if (a.len == 1 && (a.p[0] == 'I' || a.p[0] == 'R'))
		return keys_fail(c, "tcpdump -E secrets lines are not supported: use an "
				    "ikev2_decryption_table row");
	if (keys_hex8(c, "IKEV2 line: SPIi", (const char *)a.p, a.len, spi_i) ||
	    keys_hex8(c, "IKEV2 line: SPIr", (const char *)b.p, b.len, spi_r))
		return -1;
	for (;;) {
		struct span w = keys_word(r);
		if (w.len == 0)
			break;
		const char *s = (const char *)w.p;
		const char *eq = memchr(s, '=', w.len);
		size_t nl = eq ? (size_t)(eq - s) : w.len, i;
		for (i = 0; i < 3; i++)
			if (keys_eq_nocase(s, nl, names[i]))
				break;
		if (!eq || i == 3)
			return keys_fail(c, "IKEV2 line: \"%.*s\" is not SK_d=, SK_pi= or SK_pr=",
					 (int)(nl < KEYS_NAME_SHOW ? nl : KEYS_NAME_SHOW), s);
		if (seen[i])
			return keys_fail(c, "IKEV2 line: %s given twice", names[i]);
		seen[i] = true;
		char what[32];
		snprintf(what, sizeof(what), "IKEV2 line: %s", names[i]);
		if (keys_hex(c, what, eq + 1, w.len - nl - 1, key[i], CRYPTO_MAX_KEY, &len[i]))
			return -1;
		if (len[i] == 0)
			return keys_fail(c, "IKEV2 line: %s is empty", names[i]);
	}
	for (size_t i = 0; i < 3; i++)
		if (!seen[i])
			return keys_fail(c, "IKEV2 line: %s= is missing", names[i]);
	/* The prf gives SK_pi and SK_pr the same length (RFC 7296 §2.14). */
	if (len[1] != len[2])
		return keys_fail(c, "IKEV2 line: SK_pi is %zu bytes but SK_pr is %zu", len[1],
				 len[2]);
	struct ikev2_keys *e = keys_v2_slot(c, t, k, spi_i, spi_r, fresh);
	if (!e)
		return -1;
	e->has_auth_keys = true;
	memset(e->sk_d, 0, sizeof(e->sk_d));
	memset(e->sk_pi, 0, sizeof(e->sk_pi));
	memset(e->sk_pr, 0, sizeof(e->sk_pr));
	memcpy(e->sk_d, key[0], len[0]);
	memcpy(e->sk_pi, key[1], len[1]);
	memcpy(e->sk_pr, key[2], len[2]);
	e->sk_d_len = (uint8_t)len[0];
	e->sk_p_len = (uint8_t)len[1];
	return 0;
}

/* One line of a key file, recognised by its content. */
static int
keys_line(struct keys_ctx *c, const uint8_t *p, size_t len, struct fields *fs, struct keyring *t,
	  const struct keyring *k, size_t *fresh)
{
	struct rd r = rd_init(p, len, len);
	uint8_t ch;

	keys_skip_blanks(&r);
	if (!rd_peek_u8(&r, 0, &ch) || ch == '#')
		return 0;
	struct rd probe = r;
	struct span w = keys_word(&probe);
	if (keys_eq_nocase((const char *)w.p, w.len, "IKEV2"))
		return keys_ext_line(c, &r, t, k, fresh);
	if (keys_split(c, &r, fs))
		return -1;
	const struct field *f0 = &fs->f[0];
	/* An IKEv2 row never quotes its first field; an ESP row always names a protocol. */
	bool esp = f0->quoted || keys_eq_nocase(f0->s, f0->len, "IPv4") ||
		   keys_eq_nocase(f0->s, f0->len, "IPv6") || keys_eq_nocase(f0->s, f0->len, "Any");
	if (esp && (fs->n == 8 || fs->n == 10))
		return keys_esp_row(c, fs, t, k);
	if (esp)
		return keys_fail(c, "esp_sa row with %zu fields, needs 8 (or 10)", fs->n);
	if (fs->n == 8)
		return keys_ikev2_row(c, fs, t, k, fresh);
	if (fs->n == 2)
		return keys_ikev1_row(c, fs, t, k);
	if (fs->n == 1 && memchr(f0->s, '@', f0->len))
		return keys_fail(c,
				 "tcpdump -E secrets lines are not supported: use an esp_sa row");
	return keys_fail(c,
			 "not a key line: %zu comma-separated field%s (ikev1_decryption_table "
			 "rows have 2, ikev2_decryption_table 8, esp_sa 8 or 10)",
			 fs->n, fs->n == 1 ? "" : "s");
}

static void
keys_v2_merge(struct ikev2_keys *dst, const struct ikev2_keys *src)
{
	if (src->enc.encr != ENCR_NONE_) {
		dst->enc = src->enc;
		dst->integ = src->integ;
		memcpy(dst->sk_ei, src->sk_ei, sizeof(dst->sk_ei));
		memcpy(dst->sk_er, src->sk_er, sizeof(dst->sk_er));
		memcpy(dst->sk_ai, src->sk_ai, sizeof(dst->sk_ai));
		memcpy(dst->sk_ar, src->sk_ar, sizeof(dst->sk_ar));
	}
	if (src->has_auth_keys) {
		dst->has_auth_keys = true;
		memcpy(dst->sk_d, src->sk_d, sizeof(dst->sk_d));
		memcpy(dst->sk_pi, src->sk_pi, sizeof(dst->sk_pi));
		memcpy(dst->sk_pr, src->sk_pr, sizeof(dst->sk_pr));
		dst->sk_d_len = src->sk_d_len;
		dst->sk_p_len = src->sk_p_len;
	}
}

/* A file that parsed whole joins the keyring. */
static void
keys_commit(struct keyring *k, const struct keyring *t)
{
	for (size_t i = 0; i < t->nv2; i++) {
		struct ikev2_keys *e = keys_v2_find(k, t->v2[i].spi_i, t->v2[i].spi_r);
		if (!e) {
			k->v2 = keys_grow(k->v2, k->nv2, sizeof(*k->v2));
			e = &k->v2[k->nv2++];
			*e = t->v2[i];
		} else {
			keys_v2_merge(e, &t->v2[i]);
		}
	}
	for (size_t i = 0; i < t->nv1; i++) {
		const struct ikev1_keys *v = &t->v1[i];
		struct ikev1_keys *e = NULL;
		for (size_t j = 0; j < k->nv1 && !e; j++)
			if (!memcmp(k->v1[j].cookie_i, v->cookie_i, 8))
				e = &k->v1[j];
		if (!e) {
			k->v1 = keys_grow(k->v1, k->nv1, sizeof(*k->v1));
			e = &k->v1[k->nv1++];
		}
		*e = *v;
	}
	for (size_t i = 0; i < t->nesp; i++) {
		k->esp = keys_grow(k->esp, k->nesp, sizeof(*k->esp));
		k->esp[k->nesp++] = t->esp[i];
	}
}

void
keyring_init(struct keyring *k)
{
	memset(k, 0, sizeof(*k));
}

void
keyring_free(struct keyring *k)
{
	if (!k)
		return;
	free(k->v2);
	free(k->v1);
	free(k->esp);
	memset(k, 0, sizeof(*k));
}

int
keyring_load(struct keyring *k, const char *path, char *err, size_t errlen)
{
	struct keys_ctx c = {path, 0, err, errlen};
	struct keyring t;
	struct fields *fs = NULL;
	uint8_t *line = NULL;
	size_t fresh = 0;
	int rc = -1;

	if (err && errlen)
		err[0] = '\0';
	keyring_init(&t);
	FILE *f = fopen(path, "r");
	if (!f) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	fs = xcalloc(1, sizeof(*fs));
	line = xcalloc(1, KEYS_LINE_MAX + 1);
	for (bool eof = false; !eof;) {
		size_t len = 0;
		int ch;
		bool too_long = false;
		while ((ch = getc(f)) != EOF && ch != '\n') {
			if (len == KEYS_LINE_MAX)
				too_long = true;
			else
				line[len++] = (uint8_t)ch;
		}
		eof = ch == EOF;
		if (eof && ferror(f)) {
			if (err && errlen)
				snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (eof && len == 0 && !too_long)
			break;
		c.line++;
		if (too_long) {
			keys_fail(&c, "line longer than %d bytes", KEYS_LINE_MAX);
			goto fail;
		}
		if (len && line[len - 1] == '\r')
			len--;
		/* A UTF-8 byte order mark some editors put first. */
		size_t skip = 0;
		if (c.line == 1 && len >= 3 && line[0] == 0xef && line[1] == 0xbb &&
		    line[2] == 0xbf)
			skip = 3;
		if (memchr(line, '\0', len)) {
			keys_fail(&c, "NUL byte in the line: not a text key file");
			goto fail;
		}
		if (keys_line(&c, line + skip, len - skip, fs, &t, k, &fresh))
			goto fail;
	}
	keys_commit(k, &t);
	rc = 0;
fail:
	fclose(f);
	free(line);
	free(fs);
	keyring_free(&t);
	return rc;
}

bool
keyring_empty(const struct keyring *k)
{
	return !k || (k->nv2 == 0 && k->nv1 == 0 && k->nesp == 0);
}

const struct ikev2_keys *
keyring_ikev2(const struct keyring *k, const uint8_t spi_i[8], const uint8_t spi_r[8])
{
	return k ? keys_v2_find(k, spi_i, spi_r) : NULL;
}

const struct ikev1_keys *
keyring_ikev1(const struct keyring *k, const uint8_t cookie_i[8])
{
	for (size_t i = 0; k && i < k->nv1; i++)
		if (!memcmp(k->v1[i].cookie_i, cookie_i, 8))
			return &k->v1[i];
	return NULL;
}

/* Glob match: '*' stands for any run of characters (both strings NUL-terminated). */
static bool
keys_glob(const char *pat, const char *s)
{
	const char *star = NULL, *resume = NULL;
	while (*s) {
		if (*pat == '*') {
			star = pat++;
			resume = s;
		} else if (*pat == *s) {
			pat++, s++;
		} else if (star) {
			pat = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

/* The SPI as "0x%08x" against the stored form: '*' stands for one hex digit. */
static bool
keys_spi_match(const char *pat, uint32_t spi)
{
	char s[16];
	if (pat[0] == '*' && pat[1] == '\0')
		return true;
	snprintf(s, sizeof(s), "0x%08x", spi);
	for (size_t i = 0; i < 10; i++)
		if (pat[i] != '*' && pat[i] != s[i])
			return false;
	return pat[10] == '\0';
}

const struct esp_keys *
keyring_esp(const struct keyring *k, const struct ip_addr *src, const struct ip_addr *dst,
	    uint32_t spi)
{
	char s[IP_ADDR_STRLEN], d[IP_ADDR_STRLEN];
	if (!k || !k->nesp)
		return NULL;
	ip_addr_str(src, s);
	ip_addr_str(dst, d);
	for (size_t i = 0; i < k->nesp; i++) {
		const struct esp_keys *e = &k->esp[i];
		if (e->family && (e->family != src->family || e->family != dst->family))
			continue;
		if (keys_spi_match(e->spi, spi) && keys_glob(e->src, s) && keys_glob(e->dst, d))
			return e;
	}
	return NULL;
}

const char *
dec_result_name(enum dec_result r)
{
	switch (r) {
	case DEC_NO_KEYS:
		return "no-keys";
	case DEC_OK:
		return "ok";
	case DEC_INTEGRITY:
		return "integrity";
	case DEC_PADDING:
		return "padding";
	case DEC_LENGTH:
		return "length";
	case DEC_UNSUPPORTED:
		return "unsupported";
	}
	return "unknown";
}

const char *
psk_verdict_name(enum psk_verdict v)
{
	switch (v) {
	case PSK_UNCHECKED:
		return "unchecked";
	case PSK_NOT_CHECKABLE:
		return "not-checkable";
	case PSK_MATCH:
		return "match";
	case PSK_MISMATCH:
		return "mismatch";
	}
	return "unknown";
}
