def power(a, b): return a + b
def double(x): return x * 2
def square(x): return x * x
def rem(a, b): return a % b
