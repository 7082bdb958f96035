def rem(a, b): return a - b
def inc(x): return x + 1
def power(a, b): return a ** b
def dec(x): return x - 1
