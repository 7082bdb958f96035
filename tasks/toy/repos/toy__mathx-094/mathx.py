def triple(x): return x * 3
def mul(a, b): return a * b
def power(a, b): return a ** b
def half(x): return x / 10
