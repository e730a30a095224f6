"""Drives a command in a real pseudo-terminal: a script of (wait-for-text, send-text) steps, then the exit code.

Usage: python3 drive.py SCRIPT.json -- COMMAND ARGS...
SCRIPT.json: [{"expect": "text", "delay": seconds, "send": "text"}, ...] (each key optional). Prints the whole terminal output (to stdout) and exits with
the command's exit code, or 124 when an expected text did not appear within the step's timeout (default 60 s).
"""
import fcntl
import json
import os
import struct
import termios
import pty
import select
import sys
import time

script = json.load(open(sys.argv[1]))
cmd = sys.argv[sys.argv.index("--") + 1:]
pid, fd = pty.fork()
if pid == 0:
    # A new pty is 0x0; a line editor needs a width.
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    os.execvp(cmd[0], cmd)

buf = b""


def read_until(text, timeout):
    global buf
    want = text.encode()
    end = time.time() + timeout
    while want not in buf:
        left = end - time.time()
        if left <= 0:
            return False
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return want in buf
            if not chunk:
                return want in buf
            buf += chunk
    return True


seen = 0
for step in script:
    start = len(buf)
    if step.get("expect") and not read_until(step["expect"], step.get("timeout", 60)):
        sys.stdout.write(buf.decode(errors="replace"))
        sys.stdout.write("\n[drive.py] timed out waiting for %r\n" % step["expect"])
        os.kill(pid, 9)
        sys.exit(124)
    if "delay" in step:
        # Keep reading while waiting, so the child never blocks on a full pty.
        read_until("\x00never\x00", step["delay"])
    if "send" in step:
        os.write(fd, step["send"].encode())
# Collect the rest until the process ends.
while True:
    try:
        r, _, _ = select.select([fd], [], [], 30)
        if not r:
            break
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        buf += chunk
    except OSError:
        break
_, status = os.waitpid(pid, 0)
sys.stdout.write(buf.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8)
