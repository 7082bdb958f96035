# The in-container end of a sandbox's command channel (env/sandbox/channel.ts): one long-lived process per
# (container, user), started by one `docker exec`, so a command costs a fork instead of a new exec.
#
# It runs each requested argv exactly as `docker exec` would: the same environment (read from
# /proc/self/environ, before Python touched it), the exec's working directory, stdin /dev/null, stdout and
# stderr merged. The host-side timeout of the plain path moved in here: at `limit_ms`, if the output is
# still open (a process escaped the command's process group), every process of this user but this one is
# killed, and after `abandon_ms` more the output is abandoned.
#
# Requests (stdin): 4-byte big-endian length + JSON {"id", "argv", "limit_ms", "abandon_ms", "kill_user"}.
# Frames (stdout): 4-byte id, 1-byte kind, 4-byte length, payload. Kinds: "r" ready (id 0), "s" started,
# "o" output bytes, "x" exit JSON {"code", "host_timed_out"}, "e" could not start JSON {"error"}.
# Commands run concurrently, each in its own thread. Python 3.5+ only, standard library only.
import json
import os
import select
import signal
import struct
import subprocess
import sys
import threading
import time

OUT = sys.stdout.fileno()
LOCK = threading.Lock()
CWD = os.getcwd()


def original_environment():
    # Python may have changed os.environ (PEP 538 locale coercion); the kernel's copy is what exec gave us.
    with open('/proc/self/environ', 'rb') as f:
        pairs = [item.split(b'=', 1) for item in f.read().split(b'\0') if b'=' in item]
    return dict((k, v) for k, v in pairs)


ENV = original_environment()


def send(request_id, kind, payload):
    frame = struct.pack('>IcI', request_id, kind, len(payload)) + payload
    with LOCK:
        view = memoryview(frame)
        while view:
            view = view[os.write(OUT, view):]


def wait_exit(proc, seconds):
    try:
        code = proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return None
    # A process killed by signal N reads as 128+N, as docker exec reports it.
    return 128 - code if code < 0 else code


def run(request):
    rid = request['id']
    try:
        proc = subprocess.Popen(request['argv'], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env=ENV, cwd=CWD, start_new_session=True, close_fds=True)
    except Exception as err:
        send(rid, b'e', json.dumps({'error': '%s: %s' % (type(err).__name__, err)}).encode())
        return
    send(rid, b's', json.dumps({'pid': proc.pid}).encode())
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + request['limit_ms'] / 1000.0
    host_timed_out = False
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            if host_timed_out:
                break
            host_timed_out = True
            if request['kill_user']:
                try:
                    os.kill(-1, signal.SIGKILL)  # every process of this user except this one
                except OSError:
                    pass
            deadline = time.monotonic() + request['abandon_ms'] / 1000.0
            continue
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        data = os.read(fd, 65536)
        if not data:
            break
        send(rid, b'o', data)
    proc.stdout.close()
    code = wait_exit(proc, 0.5 if host_timed_out else 5.0)
    send(rid, b'x', json.dumps({'code': code, 'host_timed_out': host_timed_out}).encode())


def read_exactly(n):
    chunks = []
    while n > 0:
        chunk = os.read(0, n)
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b''.join(chunks)


def main():
    send(0, b'r', b'')
    while True:
        header = read_exactly(4)
        if header is None:
            break
        body = read_exactly(struct.unpack('>I', header)[0])
        if body is None:
            break
        thread = threading.Thread(target=run, args=(json.loads(body.decode()),))
        thread.daemon = True
        thread.start()
    # The host hung up: leave running commands alone (their results are in the journal when journalled).
    os._exit(0)


main()
