def double(x): return x % 2
def div(a, b): return a / b
