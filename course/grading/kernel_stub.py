"""The kernelspec's program for a warm kernel: `python -I kernel_stub.py SOCKET CWD UID
CONNECTION_FILE` asks the zygote listening on SOCKET (`course.grading.zygote`) for a kernel,
then stands in for it: nbclient watches this process, and this process lives exactly as long
as the kernel does. Killing it kills the kernel (the zygote sees the hang-up). Standard library
only: it runs as a file, with no access to the course package.
"""
from __future__ import annotations

import json
import signal
import socket
import sys


def main(path: str, cwd: str, uid: str, connection_file: str) -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    with socket.socket(socket.AF_UNIX) as zygote:
        zygote.connect(path)
        request = {"connection_file": connection_file, "cwd": cwd, "uid": int(uid)}
        socket.send_fds(zygote, [json.dumps(request).encode()], [1, 2])  # the kernel writes there
        for line in zygote.makefile("r"):
            reply = json.loads(line)
            if "error" in reply:
                print(f"warm kernel refused: {reply['error']}", file=sys.stderr)
                return 1
            if "exit" in reply:
                return int(reply["exit"]) & 0xFF
    print("the warm kernels' zygote went away", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
