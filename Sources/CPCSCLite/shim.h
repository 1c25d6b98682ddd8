#ifndef PERMITSTATION_CPCSCLITE_H
#define PERMITSTATION_CPCSCLITE_H
#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>
#include <PCSC/pcsclite.h>
#endif
