def double(x): return x * 2
def power(a, b): return a ** b
