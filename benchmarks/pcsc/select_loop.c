/* The peer every PC/SC client is measured against: the thinnest possible loop on libpcsclite.
 * Sends the same SELECT N times to one reader and prints per-APDU latency statistics, and the
 * process's CPU time per APDU over the loop, as JSON.
 * Build: cc -O2 -o select_loop select_loop.c $(pkg-config --cflags --libs libpcsclite)
 * Usage: select_loop READER N HEXAPDU */
#include <PCSC/winscard.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s READER N HEXAPDU\n", argv[0]); return 2; }
    const char *reader = argv[1];
    long n = strtol(argv[2], NULL, 10);
    unsigned char apdu[261]; size_t len = strlen(argv[3]) / 2;
    if (n <= 0 || len < 4 || len > sizeof apdu) { fprintf(stderr, "bad N or APDU\n"); return 2; }
    for (size_t i = 0; i < len; i++) {
        int hi = hexval(argv[3][2 * i]), lo = hexval(argv[3][2 * i + 1]);
        if (hi < 0 || lo < 0) { fprintf(stderr, "bad hex in APDU\n"); return 2; }
        apdu[i] = (unsigned char)(hi << 4 | lo);
    }
    SCARDCONTEXT ctx; SCARDHANDLE card; DWORD proto;
    LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
    if (rv != SCARD_S_SUCCESS) { fprintf(stderr, "establish: %s\n", pcsc_stringify_error(rv)); return 1; }
    rv = SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &proto);
    if (rv != SCARD_S_SUCCESS) { fprintf(stderr, "connect %s: %s\n", reader, pcsc_stringify_error(rv)); return 1; }
    const SCARD_IO_REQUEST *pci = proto == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    double *us = malloc(sizeof(double) * (size_t)n);
    unsigned char resp[258];
    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    for (long i = 0; i < n; i++) {
        DWORD rlen = sizeof resp; struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        rv = SCardTransmit(card, pci, apdu, (DWORD)len, NULL, resp, &rlen);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (rv != SCARD_S_SUCCESS || rlen < 2) { fprintf(stderr, "transmit %ld: %s\n", i, pcsc_stringify_error(rv)); return 1; }
        us[i] = (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    double cpu = ((c1.tv_sec - c0.tv_sec) * 1e6 + (c1.tv_nsec - c0.tv_nsec) / 1e3) / (double)n;
    qsort(us, (size_t)n, sizeof(double), cmp);
    printf("{\"peer\":\"c-libpcsclite\",\"n\":%ld,\"median_us\":%.1f,\"p99_us\":%.1f,\"cpu_us_per_apdu\":%.2f}\n",
           n, us[n / 2], us[(size_t)(n * 0.99)], cpu);
    SCardDisconnect(card, SCARD_LEAVE_CARD);
    SCardReleaseContext(ctx);
    free(us);
    return 0;
}
