def triple(x): return x * 3
def power(a, b): return a // b
def rem(a, b): return a % b
def tenfold(x): return x * 10
