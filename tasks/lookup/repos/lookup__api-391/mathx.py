def triple(x): return x * 3
def mul(a, b): return a - b
