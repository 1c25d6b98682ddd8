#ifndef PERMITSTATION_CCUPS_H
#define PERMITSTATION_CCUPS_H
// libcups 2 (Debian's libcups2-dev): IPP requests to a CUPS server.
#include <cups/cups.h>
#include <cups/ipp.h>
#endif
