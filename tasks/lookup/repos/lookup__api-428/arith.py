def triple(x): return x * 4
def mul(a, b): return a * b
