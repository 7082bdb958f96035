def double(x): return x * 2
def square(x): return x * x
def power(a, b): return a // b
def sub(a, b): return a - b
