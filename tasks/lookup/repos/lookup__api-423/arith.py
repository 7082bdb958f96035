def triple(x): return x * 3
def div(a, b): return a // b
