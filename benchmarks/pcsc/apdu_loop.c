/* The peer every PC/SC client is measured against: the thinnest possible loop on libpcsclite.
 * Runs one operation (the given APDUs, in order) N times on one reader, or for S seconds when N is
 * written "Ss", and prints, as JSON, the median and 99th percentile time per operation, the process's
 * CPU time per operation and the loop's wall time.
 * Build: cc -O2 -o apdu_loop apdu_loop.c $(pkg-config --cflags --libs libpcsclite)
 * Usage: apdu_loop READER N|Ss HEXAPDU [HEXAPDU...] */
#include <PCSC/winscard.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_APDUS 8

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

static double micros(struct timespec a, struct timespec b) {
    return (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3;
}

int main(int argc, char **argv) {
    if (argc < 4 || argc - 3 > MAX_APDUS) { fprintf(stderr, "usage: %s READER N HEXAPDU [HEXAPDU...] (at most %d)\n", argv[0], MAX_APDUS); return 2; }
    const char *reader = argv[1];
    char *unit;
    double number = strtod(argv[2], &unit);
    int timed = *unit == 's';
    long n = timed ? 1024 : (long)number;
    int count = argc - 3;
    unsigned char apdu[MAX_APDUS][261]; size_t len[MAX_APDUS];
    if (n <= 0 || number <= 0 || (*unit && !timed)) { fprintf(stderr, "bad N or duration %s\n", argv[2]); return 2; }
    for (int a = 0; a < count; a++) {
        const char *hex = argv[3 + a];
        len[a] = strlen(hex) / 2;
        if (len[a] < 4 || len[a] > sizeof apdu[a] || strlen(hex) % 2) { fprintf(stderr, "bad APDU %s\n", hex); return 2; }
        for (size_t i = 0; i < len[a]; i++) {
            int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
            if (hi < 0 || lo < 0) { fprintf(stderr, "bad hex in APDU %s\n", hex); return 2; }
            apdu[a][i] = (unsigned char)(hi << 4 | lo);
        }
    }
    SCARDCONTEXT ctx; SCARDHANDLE card; DWORD proto;
    LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
    if (rv != SCARD_S_SUCCESS) { fprintf(stderr, "establish: %s\n", pcsc_stringify_error(rv)); return 1; }
    rv = SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &proto);
    if (rv != SCARD_S_SUCCESS) { fprintf(stderr, "connect %s: %s\n", reader, pcsc_stringify_error(rv)); return 1; }
    const SCARD_IO_REQUEST *pci = proto == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    double *us = malloc(sizeof(double) * (size_t)n);
    unsigned char resp[258];
    struct timespec c0, c1, w0, w1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    clock_gettime(CLOCK_MONOTONIC, &w0);
    long i = 0;
    for (;; i++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (timed ? micros(w0, t0) >= number * 1e6 : i == n) break;
        if (timed && i == n) us = realloc(us, sizeof(double) * (size_t)(n *= 2));
        for (int a = 0; a < count; a++) {
            DWORD rlen = sizeof resp;
            rv = SCardTransmit(card, pci, apdu[a], (DWORD)len[a], NULL, resp, &rlen);
            if (rv != SCARD_S_SUCCESS || rlen < 2) { fprintf(stderr, "transmit %ld: %s\n", i, pcsc_stringify_error(rv)); return 1; }
            if (resp[rlen - 2] != 0x90 && resp[rlen - 2] != 0x61) { fprintf(stderr, "status %02X%02X\n", resp[rlen - 2], resp[rlen - 1]); return 1; }
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        us[i] = micros(t0, t1);
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    clock_gettime(CLOCK_MONOTONIC, &w1);
    n = i;
    if (n == 0) { fprintf(stderr, "no operation finished\n"); return 1; }
    qsort(us, (size_t)n, sizeof(double), cmp);
    printf("{\"n\":%ld,\"median_us\":%.1f,\"p99_us\":%.1f,\"cpu_us\":%.2f,\"wall_s\":%.3f}\n",
           n, us[n / 2], us[(size_t)(n * 0.99)], micros(c0, c1) / (double)n, micros(w0, w1) / 1e6);
    SCardDisconnect(card, SCARD_LEAVE_CARD);
    SCardReleaseContext(ctx);
    free(us);
    return 0;
}
