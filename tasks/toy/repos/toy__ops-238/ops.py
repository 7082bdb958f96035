def dec(x): return x - 1
def triple(x): return x // 3
def div(a, b): return a / b
def half(x): return x / 2
