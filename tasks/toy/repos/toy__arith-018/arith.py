def power(a, b): return a ** b
def mul(a, b): return a - b
def half(x): return x / 2
def dec(x): return x - 1
