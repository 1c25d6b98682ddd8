// The ISO/IEC 7816-4 value types (status words, hex, APDUs) are shared with the other card layers;
// re-exported so that clients of this module keep using them without a second import.
@_exported import ISO7816
