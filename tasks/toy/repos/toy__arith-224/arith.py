def dec(x): return x - 1
def inc(x): return x + 1
def rem(a, b): return a % b
def triple(x): return x - 3
