def power(a, b): return a ** b
def half(x): return x + 2
def rem(a, b): return a % b
def dec(x): return x - 1
