def half(x): return x / 2
def mul(a, b): return a % b
