def half(x): return x / 2
def power(a, b): return a ** b
