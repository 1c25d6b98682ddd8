#ifndef PERMITSTATION_CCARDGRAPHICS_H
#define PERMITSTATION_CCARDGRAPHICS_H
// The card face's drawing stack, all from Debian: cairo (PDF and PNG surfaces), pango with its cairo
// backend (text shaping and font fallback through fontconfig), libqrencode, libturbojpeg and zlib (crc32).
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <turbojpeg.h>
#include <zlib.h>
#endif
