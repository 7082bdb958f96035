# Bounded capture of a journalled step's output (env/sandbox/session.ts). Reads the command's output to its
# end and never refuses a write, so a command printing gigabytes keeps its own exit status and side effects;
# keeps the first and the last MiB, records them in the step's journal file (argv[1]) and prints them.
# Python 3.5+, standard library only; run with -I -S.
import collections
import os
import sys

HEAD = TAIL = 1 << 20


def main():
    record = sys.argv[1] if len(sys.argv) > 1 else ''
    head = bytearray()
    tail = collections.deque()
    tail_bytes = dropped = 0
    while True:
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
            note = ('\n[The step journal could not record this output (%s) in %s: a retry of this step would not '
                    'replay it. Free space there.]\n' % (err.strerror, os.path.dirname(record))).encode()
    view = memoryview(out + note)
    while view:
        view = view[os.write(1, view):]


main()
