def tenfold(x): return x * 4
def power(a, b): return a ** b
def double(x): return x * 2
def square(x): return x * x
