"""Semantic Versioning 2.0.0 versions."""
import functools
import re

_VERSION = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)


def _compare_identifiers(a, b):
    """Compare two pre-release identifiers: numeric ones numerically and below alphanumeric ones."""
    a_num, b_num = a.isdigit(), b.isdigit()
    if a_num and b_num:
        a, b = int(a), int(b)
    elif a_num != b_num:
        return -1 if a_num else 1
    return (a > b) - (a < b)


def compare_prerelease(a, b):
    """Compare pre-release tuples; a version without one ranks higher."""
    if not a or not b:
        return (not a) - (not b)
    for x, y in zip(a, b):
        result = _compare_identifiers(x, y)
        if result:
            return result
    return (len(a) > len(b)) - (len(a) < len(b))


@functools.total_ordering
class Version:
    def __init__(self, major, minor, patch, prerelease=(), build=()):
        self.major, self.minor, self.patch = major, minor, patch
        self.prerelease = tuple(prerelease)
        self.build = tuple(build)

    @classmethod
    def parse(cls, text):
        match = _VERSION.match(text.strip())
        if not match:
            raise ValueError("invalid semantic version: %r" % text)
        major, minor, patch, pre, build = match.groups()
        return cls(int(major), int(minor), int(patch), pre.split(".") if pre else (), build.split(".") if build else ())

    def __str__(self):
        text = "%d.%d.%d" % (self.major, self.minor, self.patch)
        if self.prerelease:
            text += "-" + ".".join(self.prerelease)
        if self.build:
            text += "+" + ".".join(self.build)
        return text

    def __repr__(self):
        return "Version(%r)" % str(self)

    def _core(self):
        return (self.major, self.minor, self.patch)

    def compare(self, other):
        if self._core() != other._core():
            return -1 if self._core() < other._core() else 1
        return compare_prerelease(self.prerelease, other.prerelease)

    def __eq__(self, other):
        if not isinstance(other, Version):
            return NotImplemented
        return self.compare(other) == 0

    def __lt__(self, other):
        if not isinstance(other, Version):
            return NotImplemented
        return self.compare(other) < 0

    def __hash__(self):
        return hash((self._core(), self.prerelease, self.build))

    def bump(self, part):
        """The next version: part is "major", "minor" or "patch"; pre-release and build are dropped."""
        if part == "major":
            return Version(self.major + 1, 0, 0)
        if part == "minor":
            return Version(self.major, self.minor + 1, 0)
        if part == "patch":
            if self.prerelease:
                return Version(self.major, self.minor, self.patch)
            return Version(self.major, self.minor, self.patch + 1)
        raise ValueError("part must be major, minor or patch, got %r" % (part,))
