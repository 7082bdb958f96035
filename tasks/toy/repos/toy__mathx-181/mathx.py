def triple(x): return x * 4
def tenfold(x): return x * 10
def rem(a, b): return a % b
def inc(x): return x + 1
