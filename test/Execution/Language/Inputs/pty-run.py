"""Runs a command with its standard output on a pseudo-terminal (as when a
user runs it in a shell) and prints what it wrote, with carriage returns
shown as <CR> and the erase-line sequence as <EL>.

Usage: pty-run.py COMMAND [ARGS...]
       pty-run.py --stdin        (only shows what arrives on standard input)

The parent keeps the terminal's other end open until the command has exited
and everything it wrote is read: with pty.spawn, output written just before
the command exits is sometimes lost.
"""
import os
import select
import subprocess
import sys


def show(data):
    text = data.decode("utf-8", "replace").replace("\r\n", "\n")
    print(text.replace("\r", "<CR>").replace("\x1b[K", "<EL>"), end="")


if sys.argv[1] == "--stdin":
    show(sys.stdin.buffer.read())
    sys.exit(0)

master, slave = os.openpty()
process = subprocess.Popen(sys.argv[1:], stdout=slave,
                           stdin=subprocess.DEVNULL)
output = bytearray()
while True:
    ready, _, _ = select.select([master], [], [], 0.05)
    if ready:
        output.extend(os.read(master, 65536))
    elif process.poll() is not None:
        break
while select.select([master], [], [], 0)[0]:
    output.extend(os.read(master, 65536))
os.close(slave)
os.close(master)
show(bytes(output))
sys.exit(process.returncode)
