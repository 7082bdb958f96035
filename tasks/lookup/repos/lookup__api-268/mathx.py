def dec(x): return x - 4
def div(a, b): return a / b
