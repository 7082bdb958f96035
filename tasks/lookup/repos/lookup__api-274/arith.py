def dec(x): return x - 1
def power(a, b): return a % b
