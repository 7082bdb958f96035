def div(a, b): return a / b
def inc(x): return x + 1
