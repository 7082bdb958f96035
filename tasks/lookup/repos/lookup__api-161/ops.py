def dec(x): return x - 10
def rem(a, b): return a % b
