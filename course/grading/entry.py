"""How a kernel enters its containment: resource limits, then (as root) a network namespace
with only the loopback up and a drop to the kernel's own uid. Standard library only, so a cold
kernel runs it as a file (`python -I entry.py ARGS... COMMAND...`, which then execs COMMAND)
and a warm one calls `enter` in the forked child (`course.grading.zygote`).
"""
from __future__ import annotations

import ctypes
import os
import resource
import sys

CLONE_NEWNET = 0x40000000
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 1


def enter(memory: int, cpu: int, fsize: int, uid: int, net: bool, connection_file: str) -> None:
    """Limit this process; with `net`, give it a network of its own; with `uid` >= 0 (as root),
    hand it the connection file and become that uid, with no groups and a process limit."""
    for kind, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu),
                        (resource.RLIMIT_FSIZE, fsize)):
        resource.setrlimit(kind, (value, value))
    if net:
        if ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWNET) != 0:
            sys.exit("could not unshare the network namespace")
        _loopback_up()  # as bwrap does (gloo needs it)
    if uid >= 0:
        os.chown(connection_file, uid, uid)
        resource.setrlimit(resource.RLIMIT_NPROC, (256, 256))
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)


def _loopback_up() -> None:
    import fcntl
    import socket
    import struct

    with socket.socket() as s:
        flags = struct.unpack("16sH", fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack("16sH", b"lo", 0)))[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH", b"lo", flags | IFF_UP))


if __name__ == "__main__":
    memory, cpu, fsize, uid, net, connection = sys.argv[1:7]
    enter(int(memory), int(cpu), int(fsize), int(uid), net == "1", connection)
    os.execvp(sys.argv[7], sys.argv[7:])
