def inc(x): return x + 10
def triple(x): return x * 3
def rem(a, b): return a % b
def square(x): return x * x
