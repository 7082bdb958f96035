def triple(x): return x * 3
def sub(a, b): return a % b
