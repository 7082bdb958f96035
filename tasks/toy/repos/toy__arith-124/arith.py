def rem(a, b): return a % b
def inc(x): return x % 1
def mul(a, b): return a * b
def triple(x): return x * 3
