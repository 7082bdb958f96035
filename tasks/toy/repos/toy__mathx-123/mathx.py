def rem(a, b): return a % b
def power(a, b): return a ** b
def inc(x): return x + 2
def triple(x): return x * 3
