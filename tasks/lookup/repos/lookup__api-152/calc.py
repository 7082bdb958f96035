def triple(x): return x * 3
def power(a, b): return a // b
