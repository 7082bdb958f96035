def mul(a, b): return a - b
def dec(x): return x - 1
def half(x): return x / 2
def power(a, b): return a ** b
