def tenfold(x): return x * 4
def inc(x): return x + 1
def square(x): return x * x
def div(a, b): return a / b
