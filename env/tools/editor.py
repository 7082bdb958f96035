"""str_replace_editor inside the sandbox (OpenHands semantics), installed by env/tools/execute.ts.

Usage: python3 editor.py <base64 JSON request | @path of a JSON request file>
Request: {"command", "path", "file_text"?, "old_str"?, "new_str"?, "insert_line"?, "view_range"?,
          "roots": [allowed directories], "max_chars": int, "history_root": str}
Prints the observation. Exit 0: done; exit 1: the call was wrong (the text says how to fix it).
The undo history lives in the container (history_root/<uid>/editor-history), so any worker can undo an earlier worker's edit.
"""
import base64
import hashlib
import json
import os
import sys

SNIPPET_LINES = 4


class CallError(Exception):
    """A fault of the call, reported to the model."""


def numbered(lines, first):
    return "\n".join("%6d\t%s" % (first + i, line) for i, line in enumerate(lines))


def clip(text, max_chars):
    if len(text) <= max_chars:
        return text
    return text[:max_chars] + (
        "\n<response clipped: only part of this output is shown. Search the file with "
        "`grep -n PATTERN FILE` and view the lines you need with view_range.>"
    )


def read_text(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except PermissionError:
        raise CallError("Permission denied reading %s." % path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise CallError("%s is not a UTF-8 text file; inspect it with execute_bash (e.g. `file`, `xxd | head`)." % path)


def write_text(path, text):
    try:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    except PermissionError:
        raise CallError("Permission denied writing %s." % path)
    except OSError as e:
        raise CallError("Could not write %s: %s." % (path, e.strerror))


class History:
    """Per-file stack of earlier contents; None records that the file did not exist."""

    def __init__(self, root, path):
        self.dir = os.path.join(root, hashlib.sha256(path.encode()).hexdigest()[:32])

    def entries(self):
        if not os.path.isdir(self.dir):
            return []
        return sorted(int(n.split(".")[0]) for n in os.listdir(self.dir) if n.split(".")[0].isdigit())

    def push(self, content):
        """Records the content before an edit; returns a note for the observation when it could not (the edit goes on)."""
        name = None
        try:
            os.makedirs(self.dir, exist_ok=True)
            n = (self.entries() or [0])[-1] + 1
            name = os.path.join(self.dir, "%08d.%s" % (n, "absent" if content is None else "text"))
            with open(name, "w", encoding="utf-8", newline="") as f:
                f.write(content or "")
            return ""
        except OSError as e:
            if name is not None and os.path.exists(name):
                os.remove(name)
            return "\n(This edit cannot be undone: its undo history could not be saved in %s: %s.)" % (os.path.dirname(self.dir), e.strerror)

    def pop(self):
        entries = self.entries()
        if not entries:
            return False, None
        n = entries[-1]
        absent = os.path.join(self.dir, "%08d.absent" % n)
        if os.path.exists(absent):
            os.remove(absent)
            return True, None
        name = os.path.join(self.dir, "%08d.text" % n)
        with open(name, encoding="utf-8", newline="") as f:
            content = f.read()
        os.remove(name)
        return True, content


def check_path(path, roots, must_exist=True):
    if not isinstance(path, str) or not path.startswith("/"):
        raise CallError("The path %r is not absolute: give the full path, e.g. %s/%s." % (path, roots[0], (path or "file.py").lstrip("./")))
    real = os.path.realpath(path)
    allowed = [os.path.realpath(r) for r in roots]
    if not any(real == r or real.startswith(r.rstrip("/") + "/") for r in allowed):
        raise CallError("The path %s is outside the workspace: the editor may only touch files under %s." % (path, " or ".join(roots)))
    if must_exist and not os.path.exists(path):
        raise CallError("The path %s does not exist. Please provide a valid path." % path)
    return path


def view(req, path, max_chars):
    if os.path.isdir(path):
        if req.get("view_range") is not None:
            raise CallError("view_range is only allowed when viewing a file, and %s is a directory." % path)
        found = []
        base = os.path.normpath(path)
        for dirpath, dirnames, filenames in os.walk(base):
            rel = os.path.relpath(dirpath, base)
            depth = 0 if rel == "." else rel.count(os.sep) + 1
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in dirnames + sorted(f for f in filenames if not f.startswith(".")):
                found.append(os.path.join(dirpath, name) + ("/" if name in dirnames else ""))
            if depth >= 1:
                dirnames[:] = []
        listing = "\n".join([base.rstrip("/") + "/"] + sorted(found))
        return clip("Here are the files and directories up to 2 levels deep in %s, excluding hidden items:\n%s" % (path, listing), max_chars)
    lines = read_text(path).split("\n")
    first = 1
    vr = req.get("view_range")
    if vr is not None:
        if not (isinstance(vr, list) and len(vr) == 2 and all(isinstance(v, int) for v in vr)):
            raise CallError("view_range must be two integers [start, end], e.g. [1, 40].")
        start, end = vr
        if start < 1 or start > len(lines):
            raise CallError("Invalid view_range %s: start must be between 1 and %d, the number of lines of %s." % (vr, len(lines), path))
        if end != -1 and (end < start or end > len(lines)):
            raise CallError("Invalid view_range %s: end must be -1 or between %d and %d." % (vr, start, len(lines)))
        lines = lines[start - 1 : (None if end == -1 else end)]
        first = start
    return clip("Here's the result of running `cat -n` on %s:\n%s\n" % (path, numbered(lines, first)), max_chars)


def snippet(text, center_line, n_new_lines):
    lines = text.split("\n")
    start = max(0, center_line - SNIPPET_LINES)
    end = min(len(lines), center_line + n_new_lines + SNIPPET_LINES)
    return numbered(lines[start:end], start + 1)


def run(req):
    roots = req["roots"]
    max_chars = int(req.get("max_chars", 16000))
    command = req.get("command")
    raw_path = req.get("path")
    path = check_path(raw_path, roots, must_exist=command != "create")
    # The user's own state directory (0700, created with the sandbox): no other user can plant history there.
    history_dir = os.path.join(req["history_root"], "%d" % os.geteuid(), "editor-history")
    history = History(history_dir, os.path.realpath(path))

    if command == "view":
        return view(req, path, max_chars)

    if command == "create":
        if os.path.exists(path):
            raise CallError("File already exists at %s: `create` never overwrites; use `str_replace` to edit it (or remove it first)." % path)
        text = req.get("file_text")
        if text is None:
            raise CallError("Parameter `file_text` is required for command: create.")
        parent = os.path.dirname(path)
        try:
            os.makedirs(parent, exist_ok=True)
        except OSError as e:
            raise CallError("Could not create the directory %s: %s." % (parent, e.strerror))
        write_text(path, text)
        note = History(history_dir, os.path.realpath(path)).push(None)
        return "File created successfully at: %s%s" % (path, note)

    if os.path.isdir(path):
        raise CallError("%s is a directory; command `%s` works on files only." % (path, command))

    if command == "str_replace":
        old = req.get("old_str")
        if old is None or old == "":
            raise CallError("Parameter `old_str` is required for command: str_replace, and must not be empty.")
        new = req.get("new_str") or ""
        if old == new:
            raise CallError("No replacement was performed: `old_str` and `new_str` are identical.")
        text = read_text(path)
        count = text.count(old)
        if count == 0:
            raise CallError("No replacement was performed, old_str `%s` did not appear verbatim in %s. Check whitespace and indentation (view the file first)." % (old, path))
        if count > 1:
            lines, pos = [], text.find(old)
            while pos >= 0:
                lines.append(text.count("\n", 0, pos) + 1)
                pos = text.find(old, pos + 1)
            raise CallError("No replacement was performed. Multiple occurrences of old_str `%s` in lines %s. Please ensure it is unique (include more surrounding lines)." % (old, lines))
        at = text.count("\n", 0, text.find(old))
        new_text = text.replace(old, new, 1)
        note = history.push(text)
        write_text(path, new_text)
        return ("The file %s has been edited. Here's the result of running `cat -n` on a snippet of %s:\n%s\n"
                "Review the changes and make sure they are as expected. Edit the file again if necessary.%s" % (path, path, snippet(new_text, at, new.count("\n") + 1), note))

    if command == "insert":
        line = req.get("insert_line")
        new = req.get("new_str")
        if not isinstance(line, int) or isinstance(line, bool):
            raise CallError("Parameter `insert_line` (an integer) is required for command: insert.")
        if new is None:
            raise CallError("Parameter `new_str` is required for command: insert.")
        text = read_text(path)
        lines = text.split("\n")
        if line < 0 or line > len(lines):
            raise CallError("Invalid `insert_line` %d: it must be between 0 and %d, the number of lines of %s." % (line, len(lines), path))
        new_lines = new.split("\n")
        new_text = "\n".join(lines[:line] + new_lines + lines[line:])
        note = history.push(text)
        write_text(path, new_text)
        return ("The file %s has been edited. Here's the result of running `cat -n` on a snippet of the edited file:\n%s\n"
                "Review the changes and make sure they are as expected (correct indentation, no duplicate lines). Edit the file again if necessary.%s" % (path, snippet(new_text, line, len(new_lines)), note))

    if command == "undo_edit":
        found, content = history.pop()
        if not found:
            raise CallError("No edit history found for %s." % path)
        if content is None:
            os.remove(path)
            return "Undid the creation of %s: the file is removed." % path
        write_text(path, content)
        return "Last edit to %s undone successfully. %s" % (path, view({}, path, max_chars))

    raise CallError("Unknown command %r: use one of view, create, str_replace, insert, undo_edit." % command)


def main():
    arg = sys.argv[1]
    if arg.startswith("@"):
        with open(arg[1:], encoding="utf-8") as f:
            req = json.load(f)
        os.remove(arg[1:])
    else:
        req = json.loads(base64.b64decode(arg).decode("utf-8"))
    try:
        sys.stdout.write(run(req))
    except CallError as e:
        sys.stdout.write("ERROR:\n%s" % e)
        sys.exit(1)


if __name__ == "__main__":
    main()
