def tenfold(x): return x * 10
def div(a, b): return a * b
