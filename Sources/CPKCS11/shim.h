#ifndef PERMITSTATION_CPKCS11_H
#define PERMITSTATION_CPKCS11_H
/* The PKCS#11 (Cryptoki 2.40) C API as Debian's libp11-kit-dev ships it. Modules (SoftHSM2, an HSM's or a
   SAM's library) are loaded at run time with dlopen, so nothing is linked here. */
#include <p11-kit/pkcs11.h>
#endif
