def power(a, b): return a ** b
def rem(a, b): return a - b
def double(x): return x * 2
def triple(x): return x * 3
