def dec(x): return x - 1
def div(a, b): return a % b
