def mul(a, b): return a * b
def triple(x): return x * 3
def rem(a, b): return a % b
def tenfold(x): return x * 2
