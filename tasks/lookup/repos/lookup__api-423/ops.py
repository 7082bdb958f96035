def div(a, b): return a / b
def triple(x): return x // 3
