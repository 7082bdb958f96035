# Bounded capture of a journalled step's output (env/sandbox/session.ts). Reads the command's output to its
# end and never refuses a write, so a command printing gigabytes keeps its own exit status and side effects;
# keeps the first and the last MiB, records them in the step's journal file (argv[1]; '' for none) and prints them.
# Reading stops at argv[2] (microseconds since the epoch, half a second past the command's timeout): by then
# only a background process that kept the output open can still hold it, and the step must end (a terminal
# would not wait for it either).
# Python 3.5+, standard library only; run with -I -S.
import collections
import os
import select
import sys
import time

HEAD = TAIL = 1 << 20


def main():
    record = sys.argv[1]
    deadline = int(sys.argv[2]) / 1e6
    head = bytearray()
    tail = collections.deque()
    tail_bytes = dropped = 0
    held = False
    while True:
        remaining = deadline - time.time()
        if remaining <= 0:
            held = True
            break
        if not select.select([0], [], [], remaining)[0]:
            continue
        chunk = os.read(0, 1 << 16)
        if not chunk:
            break
        if len(head) < HEAD:
            take = HEAD - len(head)
            head += chunk[:take]
            chunk = chunk[take:]
        if chunk:
            tail.append(chunk)
            tail_bytes += len(chunk)
            while tail_bytes - len(tail[0]) >= TAIL:
                tail_bytes -= len(tail[0])
                dropped += len(tail[0])
                tail.popleft()
    rest = b''.join(tail)
    if len(rest) > TAIL:
        dropped += len(rest) - TAIL
        rest = rest[len(rest) - TAIL:]
    out = bytes(head)
    if dropped:
        out += b'\n[... %d bytes of output dropped by the sandbox ...]\n' % dropped
    out += rest
    note = b''
    if held:
        note += ('\n[The output was still open after the command\'s timeout: a background process kept it (start '
                 'background jobs with their output redirected, e.g. `cmd > log 2>&1 &`). The rest of its output is not shown.]\n').encode()
    if record:
        try:
            with open(record + '.tmp', 'wb') as f:
                f.write(out)
            os.rename(record + '.tmp', record)
        except OSError as err:
            try:
                os.unlink(record + '.tmp')
            except OSError:
                pass
            note += ('\n[The step journal could not record this output (%s) in %s: a retry of this step would not '
                    'replay it. Free space there.]\n' % (err.strerror, os.path.dirname(record))).encode()
    view = memoryview(out + note)
    while view:
        view = view[os.write(1, view):]


main()
