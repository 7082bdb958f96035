def tenfold(x): return x * 10
def div(a, b): return a / b
def triple(x): return x - 3
def half(x): return x / 2
