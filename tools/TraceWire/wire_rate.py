#!/usr/bin/env python3
"""How many heap-trace events per second a 115200-baud UART carries before lines are lost.

Runs the host board (boards/host) in real time with a heap tracer on, reporting on one side of a
pseudo-terminal pair (pty.openpty, termios set to the baud rate), and reads the other side at the
wire's pace: BAUD/10 bytes per second (8N1: a start and a stop bit per byte). A pty moves bytes at
memory speed whatever its termios say, so the pace is this reader's: the pty's buffer fills, the
board's serial writes wait, and a write that waits longer than --write-timeout loses its line (the
reporter counts it: DROP). One line per run:

  mode, ms between readings, events the firmware made per second of its run (fewer than asked
  when its serial writes waited: its schedule slipped), trace events received per second of the
  wire's time (first byte to last), events lost (gaps in e, or the ring's lost and the leaks
  table's missed), DROP'd lines, bytes per T record, bytes received and in how many seconds

Usage (from the repository root, after `dotnet build boards/host`):
  python3 tools/TraceWire/wire_rate.py --mode stream --sample-ms 20 10 5 --seconds 10
"""
import argparse
import os
import pty
import re
import subprocess
import sys
import termios
import threading
import time
import tty

HOST_DLL = os.path.join("boards", "host", "bin", "Debug", "net10.0", "Checker.Nano.Host.dll")
BAUDS = {9600: termios.B9600, 57600: termios.B57600, 115200: termios.B115200, 230400: termios.B230400}


def set_speed(fd, baud):
    tty.setraw(fd)
    attrs = termios.tcgetattr(fd)
    attrs[4] = attrs[5] = BAUDS[baud]
    termios.tcsetattr(fd, termios.TCSANOW, attrs)


def one_run(mode, sample_ms, seconds, baud, write_timeout, capacity):
    master, slave = pty.openpty()
    set_speed(master, baud)
    set_speed(slave, baud)
    path = os.ttyname(slave)
    rate = baud / 10.0
    got = bytearray()
    stop = threading.Event()
    seen = [None, None]   # monotonic times of the first and the last byte read

    def reader():
        start = None   # the wire's clock starts with the first byte (not while the board starts up)
        taken = 0
        while not stop.is_set():
            if start is None:
                try:
                    data = os.read(master, 1)
                except OSError:
                    break
                start = time.monotonic()
                taken = 1
                got.extend(data)
                seen[0] = seen[1] = start
                continue
            allowed = int((time.monotonic() - start) * rate) - taken
            if allowed <= 0:
                time.sleep(0.002)
                continue
            try:
                data = os.read(master, min(allowed, 256))
            except OSError:
                break
            taken += len(data)
            got.extend(data)
            now = time.monotonic()
            if seen[0] is None:
                seen[0] = now
            seen[1] = now

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    cmd = ["dotnet", HOST_DLL, "--serial", path, "--baud", str(baud), "--seconds", str(seconds),
           "--sample-ms", str(sample_ms), "--trace", mode, "--form", "records", "--dump-every", "0",
           "--write-timeout", str(write_timeout)]
    if capacity:
        cmd += ["--trace-capacity", str(capacity)]
    began = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    ran = time.monotonic() - began
    # What is still in the pty's buffer goes out at the wire's pace too.
    last = len(got)
    idle = 0
    while idle < 10:
        time.sleep(0.1)
        idle = idle + 1 if len(got) == last else 0
        last = len(got)
    stop.set()
    os.close(slave)
    t.join(1)
    os.close(master)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout)
        raise SystemExit("host board exited " + str(proc.returncode))
    text = got.decode("ascii", "replace")
    es = set()
    made = 0
    lost = 0
    drops = 0
    t_bytes = 0
    t_lines = 0
    for line in text.splitlines():
        m = re.search(r"@CN1 T n=\d+ (?:d=\d+ )?e=(\d+) ", line)
        if m:
            e = int(m.group(1))
            es.add(e)
            made = max(made, e)
            t_bytes += len(line) + 2
            t_lines += 1
            continue
        m = re.search(r"@CN1 TRACE .*what=(?:stop|ring|leaks)\b.*", line)
        if m:
            ev = re.search(r" events=(\d+)", line)
            if ev:
                made = max(made, int(ev.group(1)))
            lo = re.search(r" (?:lost|missed)=(\d+)", line)
            if lo:
                lost = max(lost, int(lo.group(1)))
        m = re.search(r"@CN1 DROP lines=(\d+)", line)
        if m:
            drops += int(m.group(1))
    if mode != "leaks":
        lost = made - len(es)   # every event goes out once: on its own, or in the ring's dumps
    span = (seen[1] - seen[0]) if seen[0] is not None and seen[1] > seen[0] else seconds
    return {
        "mode": mode, "ms": sample_ms, "made": made / seconds, "got": len(es) / span, "span": span,
        "lost": lost, "drops": drops, "per_event": (t_bytes / t_lines) if t_lines else 0,
        "ran": ran, "seconds": seconds, "bytes": len(got),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", default="stream", choices=["stream", "ring", "leaks"])
    ap.add_argument("--sample-ms", nargs="+", type=float, default=[20, 10, 5, 2])
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--baud", type=int, default=115200, choices=sorted(BAUDS))
    ap.add_argument("--write-timeout", type=int, default=2000)
    ap.add_argument("--capacity", type=int, default=0)
    a = ap.parse_args()
    print("mode    ms/reading  events/s made  events/s on the wire  events lost  DROP lines  bytes/event  wire bytes in s")
    for ms in a.sample_ms:
        r = one_run(a.mode, ms, a.seconds, a.baud, a.write_timeout, a.capacity)
        print("%-7s %10g  %13.0f  %20.0f  %11d  %10d  %11.1f  %7d in %.1f" % (
            r["mode"], r["ms"], r["made"], r["got"], r["lost"], r["drops"], r["per_event"], r["bytes"], r["span"]))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
