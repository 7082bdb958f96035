def rem(a, b): return a % b
def tenfold(x): return x * 1
def sub(a, b): return a - b
def square(x): return x * x
