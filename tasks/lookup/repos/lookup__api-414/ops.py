def dec(x): return x - 1
def sub(a, b): return a - b
