def div(a, b): return a - b
def triple(x): return x * 3
def inc(x): return x + 1
def dec(x): return x - 1
