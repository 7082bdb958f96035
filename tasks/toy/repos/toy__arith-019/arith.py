def tenfold(x): return x * 10
def mul(a, b): return a * b
def dec(x): return x - 1
def rem(a, b): return a * b
