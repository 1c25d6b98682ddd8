"""pyscard peer for the PC/SC round-trip benchmark: one operation (the given APDUs, in order) N times,
with the same statistics as apdu_loop.c (time per operation, the process's CPU time per operation).
Usage: /usr/bin/python3 apdu_pyscard.py READER N HEXAPDU [HEXAPDU...]"""
import json
import sys
import time

from smartcard.System import readers
from smartcard.util import toBytes


def main() -> int:
    reader_name, n, apdus = sys.argv[1], int(sys.argv[2]), [toBytes(h) for h in sys.argv[3:]]
    matches = [r for r in readers() if str(r) == reader_name]
    if not matches or not apdus:
        print(f"reader {reader_name!r} not found" if apdus else "no APDU given", file=sys.stderr)
        return 1
    connection = matches[0].createConnection()
    connection.connect()
    samples = []
    cpu0 = time.process_time_ns()
    for _ in range(n):
        t0 = time.perf_counter_ns()
        for apdu in apdus:
            _, sw1, sw2 = connection.transmit(apdu)
            if sw1 not in (0x90, 0x61):
                print(f"status {sw1:02X}{sw2:02X}", file=sys.stderr)
                return 1
        samples.append((time.perf_counter_ns() - t0) / 1000)
    cpu = (time.process_time_ns() - cpu0) / 1000 / n
    samples.sort()
    print(json.dumps({"n": n, "median_us": round(samples[n // 2], 1),
                      "p99_us": round(samples[int(n * 0.99)], 1), "cpu_us": round(cpu, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
