def triple(x): return x * 4
def power(a, b): return a ** b
