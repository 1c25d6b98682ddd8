"""pyscard peer for the SELECT round-trip benchmark: same card, same APDU, same statistics as select_loop.c
(including the process's CPU time per APDU over the loop).
Usage: /usr/bin/python3 select_pyscard.py READER N HEXAPDU"""
import json
import sys
import time

from smartcard.System import readers
from smartcard.util import toBytes


def main() -> int:
    reader_name, n, hexapdu = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    matches = [r for r in readers() if str(r) == reader_name]
    if not matches:
        print(f"reader {reader_name!r} not found", file=sys.stderr)
        return 1
    connection = matches[0].createConnection()
    connection.connect()
    apdu = toBytes(hexapdu)
    samples = []
    cpu0 = time.process_time_ns()
    for _ in range(n):
        t0 = time.perf_counter_ns()
        _, sw1, _ = connection.transmit(apdu)
        samples.append((time.perf_counter_ns() - t0) / 1000)
        if sw1 not in (0x90, 0x61):
            print(f"unexpected SW1 {sw1:02X}", file=sys.stderr)
            return 1
    cpu = (time.process_time_ns() - cpu0) / 1000 / n
    samples.sort()
    print(json.dumps({"peer": "pyscard", "n": n, "median_us": round(samples[n // 2], 1),
                      "p99_us": round(samples[int(n * 0.99)], 1), "cpu_us_per_apdu": round(cpu, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
