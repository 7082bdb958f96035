def mul(a, b): return a * b
def dec(x): return x - 1
