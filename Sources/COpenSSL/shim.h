#ifndef PERMITSTATION_COPENSSL_H
#define PERMITSTATION_COPENSSL_H
/* libcrypto from Debian's libssl-dev (OpenSSL 3): the SM2 / SM3 / SM4 primitives of NationalCrypto. */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/rand.h>

/* OpenSSL keeps the name of an OSSL_PARAM as a pointer and never copies it, so the names must be C
   string literals that live as long as the program. Swift imports these macros as Swift Strings,
   whose C strings live only for one call; these accessors hand over the literals themselves. */
static inline const char *permit_param_group_name(void) { return OSSL_PKEY_PARAM_GROUP_NAME; }
static inline const char *permit_param_public_key(void) { return OSSL_PKEY_PARAM_PUB_KEY; }
static inline const char *permit_param_private_key(void) { return OSSL_PKEY_PARAM_PRIV_KEY; }
static inline const char *permit_param_mac_cipher(void) { return OSSL_MAC_PARAM_CIPHER; }

/* Selections for EVP_PKEY_fromdata (multi-line macros Swift does not import). */
static inline int permit_selection_public_key(void) { return EVP_PKEY_PUBLIC_KEY; }
static inline int permit_selection_keypair(void) { return EVP_PKEY_KEYPAIR; }
#endif
