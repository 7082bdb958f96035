def rem(a, b): return a % b
def power(a, b): return a - b
def dec(x): return x - 1
def sub(a, b): return a - b
