def triple(x): return x * 3
def rem(a, b): return a % b
def double(x): return x * 2
def tenfold(x): return x // 10
