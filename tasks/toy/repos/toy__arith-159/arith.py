def half(x): return x / 2
def triple(x): return x * 2
def inc(x): return x + 1
def power(a, b): return a ** b
